// Admin device map: one colour per kind; fixed cameras show their field-of-view cone.
(() => {
  const colors = { 'acoustic-sensor': '#0dcaf0', 'gunshot-feed': '#d63384', 'environmental-sensor': '#20c997',
    streetlight: '#ffc107', camera: '#6f42c1', 'plate-reader': '#198754' };
  const points = JSON.parse(document.getElementById('device-points').textContent);
  const map = window.safecities.createMap('map');
  const bounds = [];
  const offset = window.safecities.offset;
  for (const p of points) {
    const s = p.settings || {};
    if (p.kind === 'camera' && s.type === 'fixed' && s.headingDegrees != null && s.fieldOfViewDegrees) {
      const cone = [[p.latitude, p.longitude]];
      for (let a = -s.fieldOfViewDegrees / 2; a <= s.fieldOfViewDegrees / 2; a += s.fieldOfViewDegrees / 8)
        cone.push(offset(p.latitude, p.longitude, s.rangeMeters || 100, s.headingDegrees + a));
      L.polygon(cone, { color: colors.camera, weight: 1, fillOpacity: 0.15 }).addTo(map);
    }
    L.circleMarker([p.latitude, p.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colors[p.kind] || '#fff' })
      .bindTooltip(window.safecities.textNode(`${p.name} (${p.kind})`)).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
