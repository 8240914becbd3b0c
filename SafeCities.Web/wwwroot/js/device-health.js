// Device health: the devices shown in the table on a map, one marker each in its status colour (the table's badges).
(() => {
  const sc = window.safecities;
  const colours = { ok: '#198754', late: '#ffc107', silent: '#6c757d', failing: '#dc3545' };
  const points = JSON.parse(document.getElementById('health-points').textContent);
  const map = sc.createMap('health-map');
  const bounds = [];
  // Worst last, so failing and silent devices are drawn on top.
  const rank = { ok: 0, late: 1, silent: 2, failing: 3 };
  for (const p of [...points].sort((a, b) => rank[a.status] - rank[b.status])) {
    L.circleMarker([p.latitude, p.longitude], { radius: p.status === 'ok' ? 5 : 8, weight: 1, color: '#212529', fillOpacity: 0.9, fillColor: colours[p.status] || '#0d6efd' })
      .bindTooltip(sc.textNode(`${p.name} (${p.kind}): ${p.status}`)).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
