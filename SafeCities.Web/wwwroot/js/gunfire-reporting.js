// Unreported gunfire: each detection on the map, red when nobody called it in, blue when a call answered it.
(() => {
  const data = document.getElementById('reporting-data');
  if (!data || !document.getElementById('reporting-map')) return;
  const sc = window.safecities;
  const detections = JSON.parse(data.textContent);
  const map = sc.createMap('reporting-map');
  const bounds = [];
  for (const d of detections) {
    L.circleMarker([d.latitude, d.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.85, fillColor: d.called ? '#0d6efd' : '#dc3545' })
      .bindTooltip(sc.textNode(`${sc.timeText(d.at, 'datetime')} — ${d.district}: ${d.called ? 'called in' : 'no call'}`)).addTo(map);
    bounds.push([d.latitude, d.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
