// Pins the incident's witness statements on its map (window.safecities.incidentMap, made by incident-detail.js); text nodes only.
(() => {
  const sc = window.safecities;
  const items = [...document.querySelectorAll('#witness-statements .witness-statement')];
  if (!sc || !sc.incidentMap || items.length === 0) return;
  const bounds = L.latLngBounds([sc.incidentMap.getCenter()]);
  for (const item of items) {
    const at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    if (at.some(Number.isNaN)) continue;
    const label = document.createElement('span');
    label.textContent = `Witness: ${item.dataset.category}`;
    L.circleMarker(at, { radius: 7, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: '#6f42c1' })
      .bindTooltip(label).addTo(sc.incidentMap);
    bounds.extend(at);
  }
  // Witnesses may have been a few hundred metres away (or further, through their cluster): show them all with the incident.
  if (!sc.incidentMap.getBounds().contains(bounds)) sc.incidentMap.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
})();
