// Hotspot page: the flagged cells of the shift on the map (rank and why in a tooltip, as text), and each model's weekly PAI and hit rate.
(() => {
  const sc = window.safecities;
  const cells = JSON.parse(document.getElementById('hotspot-cells-data')?.textContent || '[]');
  if (document.getElementById('hotspot-map') && cells.length) {
    const map = sc.createMap('hotspot-map');
    const bounds = [];
    for (const c of cells) {
      const colour = c.rank <= 3 ? '#dc3545' : c.rank <= 10 ? '#fd7e14' : '#ffc107';
      const why = c.backgroundShare === null ? '' : `, ${Math.round(c.backgroundShare * 100)} % background, ${Math.round((1 - c.backgroundShare) * 100)} % recent events`;
      L.rectangle([[c.south, c.west], [c.north, c.east]], { color: colour, weight: 1, fillOpacity: 0.45 })
        .bindTooltip(sc.textNode(`#${c.rank}: score ${c.score.toPrecision(3)}${why}; last year ${c.sensorEvents} sensor, ${c.reportedEvents} calls`))
        .addTo(map);
      bounds.push([c.south, c.west], [c.north, c.east]);
    }
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  }
  const weeks = JSON.parse(document.getElementById('hotspot-weeks-data')?.textContent || '[]');
  if (!window.Chart || !document.getElementById('hotspot-pai-chart')) return;
  const labels = [...new Set(weeks.map(w => w.weekStart))].sort();
  const models = ['sepp', 'mixture', 'kde', 'naive28', 'ewc'];
  const colours = { sepp: '#dc3545', mixture: '#fd7e14', kde: '#0d6efd', naive28: '#adb5bd', ewc: '#20c997' };
  const chart = (id, field, title) => new Chart(document.getElementById(id), {
    type: 'line',
    data: {
      labels,
      datasets: models.map(m => ({
        label: m === 'kde' || m === 'naive28' ? `${m} (baseline)` : m, borderColor: colours[m], backgroundColor: colours[m], spanGaps: true,
        borderDash: m === 'kde' || m === 'naive28' ? [6, 4] : [],
        data: labels.map(l => weeks.find(w => w.weekStart === l && w.model === m)?.[field] ?? null),
      })),
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: title } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } },
    plugins: [sc.roomForPlot],
  });
  chart('hotspot-pai-chart', 'meanPai', 'mean PAI');
  chart('hotspot-hit-chart', 'meanHitRate', 'mean hit rate');
})();
