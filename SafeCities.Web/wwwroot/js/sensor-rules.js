// Sensor rules: each rule's area as a circle; a click on the map fills the form's centre (and a default radius when empty).
(() => {
  const sc = window.safecities;
  const map = sc.createMap('rules-map');
  const areas = JSON.parse(document.getElementById('rule-areas').textContent);
  const bounds = [];
  for (const a of areas) {
    const circle = L.circle([a.centerLatitude, a.centerLongitude], { radius: a.radiusMeters, color: a.enabled ? '#dc3545' : '#6c757d', weight: 2, fillOpacity: 0.08 })
      .bindTooltip(sc.textNode(a.name)).addTo(map);
    bounds.push(...[circle.getBounds().getSouthWest(), circle.getBounds().getNorthEast()]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  const lat = document.getElementById('Input_CenterLatitude');
  const lon = document.getElementById('Input_CenterLongitude');
  const radius = document.getElementById('Input_RadiusMeters');
  let pending = null;
  const show = () => {
    if (pending) pending.remove();
    const la = parseFloat(lat.value), lo = parseFloat(lon.value), r = parseFloat(radius.value);
    if (Number.isFinite(la) && Number.isFinite(lo) && Number.isFinite(r) && r > 0)
      pending = L.circle([la, lo], { radius: r, color: '#0d6efd', weight: 2, dashArray: '6 4', fillOpacity: 0.05 }).addTo(map);
  };
  map.on('click', e => {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    if (!radius.value) radius.value = '500';
    show();
  });
  for (const input of [lat, lon, radius]) input.addEventListener('change', show);
  show();
})();
