// The triage queue's map: one pin per waiting report, coloured by cluster; the tooltip is built from text nodes, never HTML.
(() => {
  const sc = window.safecities;
  const el = document.getElementById('triage-map');
  if (!el || !sc) return;
  const items = [...document.querySelectorAll('.triage-item')];
  const map = sc.createMap('triage-map');
  const palette = ['#0d6efd', '#d63384', '#fd7e14', '#198754', '#6f42c1', '#20c997', '#dc3545'];
  const colors = new Map();
  const points = [];
  for (const item of items) {
    const at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    if (at.some(Number.isNaN)) continue;
    const cluster = item.dataset.clusterId;
    if (!colors.has(cluster)) colors.set(cluster, palette[colors.size % palette.length]);
    const label = document.createElement('span');
    label.textContent = `${item.dataset.category}${item.dataset.clusterSize > 1 ? ` (cluster of ${item.dataset.clusterSize})` : ''}`;
    L.circleMarker(at, { radius: 8, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: colors.get(cluster) })
      .bindTooltip(label).on('click', () => item.scrollIntoView({ behavior: 'smooth', block: 'center' })).addTo(map);
    points.push(at);
  }
  if (points.length === 1) map.setView(points[0], 15);
  else if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
})();
