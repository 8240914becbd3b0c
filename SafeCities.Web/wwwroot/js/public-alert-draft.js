// Drafting a public alert: the area as a circle (click the map to move its centre; the radius field sizes it) or a polygon (click to add
// each corner; undo, clear). The form's fields hold the truth; the map draws them. Polygon corners go to Input.PolygonPoints as
// "lat,lon lat,lon …", which the server checks (at least 3 corners, no crossing edges).
(() => {
  const $ = id => document.getElementById(id);
  const lat = $('Input_CircleLatitude'), lon = $('Input_CircleLongitude'), radius = $('Input_CircleRadiusMeters');
  const pointsField = $('Input_PolygonPoints');
  const map = safecities.createMap('draft-map');
  let shape = null;
  let corners = (pointsField.value || '').split(' ').filter(Boolean).map(p => p.split(',').map(Number)).filter(p => p.length === 2 && p.every(Number.isFinite));

  const kind = () => (document.querySelector('input[name="Input.AreaKind"]:checked') || {}).value || 'circle';
  const round = v => Math.round(v * 1e6) / 1e6;

  function draw(fit) {
    if (shape) { map.removeLayer(shape); shape = null; }
    const circle = kind() === 'circle';
    $('circle-fields').classList.toggle('d-none', !circle);
    $('polygon-fields').classList.toggle('d-none', circle);
    $('area-help').textContent = circle ? 'Click the map to place the centre.' : 'Click the map to add each corner.';
    if (circle) {
      const c = [parseFloat(lat.value), parseFloat(lon.value)], r = parseFloat(radius.value);
      if (c.every(Number.isFinite) && Number.isFinite(r) && r > 0) {
        shape = L.circle(c, { radius: r, color: '#dc3545', weight: 2, fillOpacity: 0.15 }).addTo(map);
      }
    } else {
      pointsField.value = corners.map(p => `${round(p[0])},${round(p[1])}`).join(' ');
      $('polygon-count').textContent = `${corners.length} corner${corners.length === 1 ? '' : 's'}`;
      if (corners.length >= 3) shape = L.polygon(corners, { color: '#dc3545', weight: 2, fillOpacity: 0.15 }).addTo(map);
      else if (corners.length > 0) shape = L.polyline(corners, { color: '#dc3545', weight: 2, dashArray: '4 4' }).addTo(map);
    }
    if (fit && shape) map.fitBounds(shape.getBounds(), { maxZoom: 16, padding: [20, 20] });
  }

  map.on('click', e => {
    if (kind() === 'circle') {
      lat.value = round(e.latlng.lat);
      lon.value = round(e.latlng.lng);
      if (!radius.value) radius.value = 400;
    } else {
      corners.push([e.latlng.lat, e.latlng.lng]);
    }
    draw(false);
  });
  for (const input of [lat, lon, radius]) input.addEventListener('input', () => draw(false));
  for (const radio of document.querySelectorAll('input[name="Input.AreaKind"]')) radio.addEventListener('change', () => draw(true));
  $('polygon-undo').addEventListener('click', () => { corners.pop(); draw(false); });
  $('polygon-clear').addEventListener('click', () => { corners = []; draw(false); });
  draw(true);
})();
