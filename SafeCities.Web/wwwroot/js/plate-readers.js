// Plates admin map: each reader, with a short line in the direction it faces and its reads of the last 24 h.
(() => {
  const points = JSON.parse(document.getElementById('reader-points').textContent);
  const map = window.safecities.createMap('map');
  const offset = window.safecities.offset;
  const bounds = [];
  for (const p of points) {
    if (p.headingDegrees != null)
      L.polyline([[p.latitude, p.longitude], offset(p.latitude, p.longitude, 60, p.headingDegrees)], { color: '#198754', weight: 3 }).addTo(map);
    L.circleMarker([p.latitude, p.longitude], { radius: 6, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: p.readsLast24Hours > 0 ? '#198754' : '#6c757d' })
      .bindTooltip(window.safecities.textNode(`${p.name}: ${p.readsLast24Hours} reads in 24 h`)).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
