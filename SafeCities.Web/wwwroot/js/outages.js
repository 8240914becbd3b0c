// Lights out: one red marker per open work order.
(() => {
  const points = JSON.parse(document.getElementById('outage-points').textContent);
  const map = window.safecities.createMap('map');
  const bounds = [];
  for (const p of points) {
    L.circleMarker([p.latitude, p.longitude], { radius: 7, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: '#dc3545' })
      .bindTooltip(window.safecities.textNode(`${p.lightName}: ${p.faultKind} since ${window.safecities.timeText(p.faultAt, 'datetime')}`)).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
})();
