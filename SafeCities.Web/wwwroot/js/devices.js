// Admin device map: one colour per kind; fixed cameras show their field-of-view cone.
(() => {
  const colors = { 'acoustic-sensor': '#0dcaf0', 'gunshot-feed': '#d63384', 'environmental-sensor': '#20c997',
    streetlight: '#ffc107', camera: '#6f42c1', 'plate-reader': '#198754' };
  const points = JSON.parse(document.getElementById('device-points').textContent);
  const map = window.safecities.createMap('map');
  const bounds = [];
  const offset = (lat, lon, meters, bearing) => {
    const r = 6371008.8, d = meters / r, t = bearing * Math.PI / 180, p1 = lat * Math.PI / 180, l1 = lon * Math.PI / 180;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
    const l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [p2 * 180 / Math.PI, l2 * 180 / Math.PI];
  };
  for (const p of points) {
    const s = p.settings || {};
    if (p.kind === 'camera' && s.type === 'fixed' && s.headingDegrees != null && s.fieldOfViewDegrees) {
      const cone = [[p.latitude, p.longitude]];
      for (let a = -s.fieldOfViewDegrees / 2; a <= s.fieldOfViewDegrees / 2; a += s.fieldOfViewDegrees / 8)
        cone.push(offset(p.latitude, p.longitude, s.rangeMeters || 100, s.headingDegrees + a));
      L.polygon(cone, { color: colors.camera, weight: 1, fillOpacity: 0.15 }).addTo(map);
    }
    L.circleMarker([p.latitude, p.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colors[p.kind] || '#fff' })
      .bindTooltip(Object.assign(document.createElement('span'), { textContent: `${p.name} (${p.kind})` })).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
