// Audit log: audited actions per day, stacked by module and action, so a spike (a user searching far more than usual) stands out.
(() => {
  const data = document.getElementById('audit-per-day');
  if (!data || !window.Chart) return;
  // Every day of the period (the server's list, in the city's time zone): a quiet day is a zero on the axis, not left out.
  const { days, rows } = JSON.parse(data.textContent);
  const kinds = [...new Set(rows.map(r => `${r.module}/${r.action}`))];
  const palette = ['#0d6efd', '#dc3545', '#ffc107', '#20c997', '#6f42c1', '#fd7e14', '#0dcaf0', '#adb5bd', '#d63384', '#198754'];
  const datasets = kinds.map((k, i) => ({
    label: k, backgroundColor: palette[i % palette.length],
    data: days.map(d => rows.filter(r => r.day === d && `${r.module}/${r.action}` === k).reduce((n, r) => n + r.count, 0)),
  }));
  new Chart(document.getElementById('audit-chart'), {
    type: 'bar', data: { labels: days, datasets: datasets.map(d => ({ ...d, maxBarThickness: 40 })) },
    options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } },
    plugins: [window.safecities.roomForPlot],
  });
})();
