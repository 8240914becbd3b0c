// Other authorities' alerts in force: their areas on the map (site.js draws them, tooltips as text), a click on a card shows its areas.
(() => {
  const alerts = JSON.parse(document.getElementById('inbound-data').textContent);
  const map = safecities.createMap('inbound-map');
  const { all, byId } = safecities.inboundAlertLayers(alerts);
  all.addTo(map);
  const fit = layer => { const b = layer.getBounds(); if (b.isValid()) map.fitBounds(b, { padding: [20, 20], maxZoom: 14 }); };
  fit(all);
  for (const card of document.querySelectorAll('#inbound-list [data-alert-id]')) {
    card.addEventListener('click', () => { const g = byId.get(card.dataset.alertId); if (g) fit(g); });
  }
})();
