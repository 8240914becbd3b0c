// Trends: events per week, one line per type (the week ends are shown as city dates).
(() => {
  const data = document.getElementById('trends-data');
  if (!data || !window.Chart) return;
  const { weekEnds, series, labels: names } = JSON.parse(data.textContent);
  const zone = document.body.dataset.timeZone;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const labels = weekEnds.map(w => day.format(new Date(w)));
  const palette = ['#0d6efd', '#dc3545', '#ffc107', '#20c997', '#6f42c1', '#fd7e14', '#0dcaf0', '#adb5bd', '#d63384', '#198754'];
  const datasets = Object.entries(series).map(([type, counts], i) => ({
    label: names[type] || type, data: counts, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0.2,
  }));
  new Chart(document.getElementById('trends-chart'), {
    type: 'line', data: { labels, datasets },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { title: { display: true, text: `week ending (${zone})` } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } },
    plugins: [window.safecities.roomForPlot],
  });
})();
