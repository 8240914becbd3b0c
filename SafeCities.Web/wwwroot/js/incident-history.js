// The incident history page: the results on a map, a click picks the search point (radius drawn), "Only the map's area" sends the map's bounds.
(() => {
  const sc = window.safecities;
  const form = document.getElementById('history-form');
  const field = id => document.getElementById(id);
  const map = sc.createMap('map');
  const results = JSON.parse(field('history-markers').textContent);
  const layer = L.featureGroup().addTo(map);
  for (const i of results) {
    const link = Object.assign(document.createElement('a'), { href: `/Alerts/Incidents/Details/${i.id}`, textContent: i.title });
    sc.incidentMarker(i).bindPopup(link).addTo(layer);
  }
  let circle = null;
  function drawPoint() {
    const lat = parseFloat(field('latitude').value), lon = parseFloat(field('longitude').value);
    const radius = parseFloat(field('radius').value) || 500;
    if (circle) circle.remove();
    circle = Number.isFinite(lat) && Number.isFinite(lon) ? L.circle([lat, lon], { radius, weight: 1, fillOpacity: 0.08 }).addTo(map) : null;
  }
  const bounded = [field('south').value, field('west').value, field('north').value, field('east').value].map(parseFloat);
  if (bounded.every(Number.isFinite)) map.fitBounds([[bounded[0], bounded[1]], [bounded[2], bounded[3]]]);
  else if (results.length) map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 15 });
  drawPoint();
  map.on('click', e => {
    field('latitude').value = e.latlng.lat.toFixed(5);
    field('longitude').value = e.latlng.lng.toFixed(5);
    drawPoint();
  });
  ['latitude', 'longitude', 'radius'].forEach(id => field(id).addEventListener('change', drawPoint));
  form.addEventListener('submit', () => {
    const b = map.getBounds();
    const use = field('use-bounds').checked;
    field('south').value = use ? b.getSouth().toFixed(5) : '';
    field('west').value = use ? b.getWest().toFixed(5) : '';
    field('north').value = use ? b.getNorth().toFixed(5) : '';
    field('east').value = use ? b.getEast().toFixed(5) : '';
    // Empty fields stay out of the address.
    form.querySelectorAll('input, select').forEach(el => { if (el.name && el.value === '') el.disabled = true; });
    if (!field('latitude').value) field('radius').disabled = true;
  });
})();
