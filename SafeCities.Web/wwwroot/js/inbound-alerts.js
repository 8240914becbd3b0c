// Other authorities' alerts in force: their areas on the map (polygons, circles as polygons, radius-0 circles as points), a tooltip built
// with textContent, a click on a card shows its areas. Nothing here is HTML from strings.
(() => {
  const alerts = JSON.parse(document.getElementById('inbound-data').textContent);
  const colors = { Extreme: '#dc3545', Severe: '#fd7e14', Moderate: '#ffc107', Minor: '#0dcaf0' };
  const map = safecities.createMap('inbound-map');
  const all = L.featureGroup().addTo(map);
  const byId = new Map();
  for (const a of alerts) {
    const group = L.featureGroup().addTo(all);
    const color = colors[a.severity] || '#6c757d';
    const label = document.createElement('span');
    label.textContent = `${a.event || 'Alert'} — ${a.senderName || a.sender}`;
    for (const area of a.areas) {
      for (const polygon of area.polygons) {
        L.polygon(polygon.map(p => [p.latitude, p.longitude]), { color, weight: 2, fillOpacity: 0.15 }).bindTooltip(label.cloneNode(true)).addTo(group);
      }
      for (const p of area.points) {
        L.circleMarker([p.latitude, p.longitude], { color, radius: 8 }).bindTooltip(label.cloneNode(true)).addTo(group);
      }
    }
    byId.set(a.id, group);
  }
  const fit = layer => { const b = layer.getBounds(); if (b.isValid()) map.fitBounds(b, { padding: [20, 20], maxZoom: 14 }); };
  fit(all);
  for (const card of document.querySelectorAll('#inbound-list [data-alert-id]')) {
    card.addEventListener('click', () => { const g = byId.get(card.dataset.alertId); if (g) fit(g); });
  }
})();
