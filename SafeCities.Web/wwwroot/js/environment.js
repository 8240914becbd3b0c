// Environmental sensors: a marker per sensor with its live value (AQI colours for air quality; the value for the others), refreshed every
// 30 s; picking a sensor charts its quantities over 24 h / 7 d / 30 d with each watching rule's threshold and clear level drawn.
(() => {
  const sc = window.safecities;
  const aqiColours = {
    'Good': '#00e400', 'Moderate': '#ffff00', 'Unhealthy for sensitive groups': '#ff7e00', 'Unhealthy': '#ff0000',
    'Very unhealthy': '#8f3f97', 'Hazardous': '#7e0023',
  };
  const aqiClasses = {
    'Good': 'aqi-good', 'Moderate': 'aqi-moderate', 'Unhealthy for sensitive groups': 'aqi-usg', 'Unhealthy': 'aqi-unhealthy',
    'Very unhealthy': 'aqi-very-unhealthy', 'Hazardous': 'aqi-hazardous',
  };
  const number = v => Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? String(Math.round(v * 10) / 10) : String(Math.round(v * 1000) / 1000);
  const valuesText = s => s.values.map(v => v.text).join('; ');
  const markerText = s => s.aqi != null ? `AQI ${s.aqi}` : (s.values[0] ? s.values[0].text : '—');

  const map = sc.createMap('map');
  const markers = new Map();
  let fitted = false;
  // Each sensor's name and value beside its marker, the worst air first where labels would cover each other (the rest on hover or a tap).
  let labels = [];
  const arrangeLabels = sc.labelsApart(map, () => labels);

  function draw(sensors) {
    const bounds = [];
    for (const s of sensors) {
      const colour = aqiColours[s.aqiCategory] || '#0d6efd';
      let marker = markers.get(s.id);
      if (!marker) {
        marker = L.circleMarker([s.latitude, s.longitude], { radius: 9, weight: 2, color: '#212529', fillOpacity: 0.9 }).addTo(map);
        marker.on('click', () => pick(s.id));
        markers.set(s.id, marker);
      }
      marker.setStyle({ fillColor: colour });
      bounds.push([s.latitude, s.longitude]);
    }
    labels = [...sensors].sort((a, b) => (b.aqi ?? -1) - (a.aqi ?? -1))
      .map(s => ({ marker: markers.get(s.id), content: sc.textNode(`${s.name}: ${markerText(s)}`) }));
    if (bounds.length && !fitted) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); fitted = true; }
    arrangeLabels();
  }

  function updateTable(sensors) {
    for (const s of sensors) {
      const row = document.querySelector(`tr[data-sensor-id="${CSS.escape(s.id)}"]`);
      if (!row) continue;
      row.querySelector('.sensor-values').textContent = valuesText(s);
      const aqi = row.querySelector('.sensor-aqi');
      aqi.replaceChildren();
      if (s.aqi != null) {
        const chip = Object.assign(document.createElement('span'), { className: `aqi-chip ${aqiClasses[s.aqiCategory] || 'aqi-none'}`, textContent: String(s.aqi),
          title: `${s.aqiCategory} (${s.aqiPollutant})` });
        aqi.append(chip);
      } else aqi.append(Object.assign(document.createElement('span'), { className: 'text-secondary', textContent: '—' }));
      if (s.lastSeenAt) row.querySelector('.sensor-heard').replaceChildren(sc.timeElement(s.lastSeenAt, 'datetime'));
    }
  }

  draw(JSON.parse(document.getElementById('sensors-data').textContent));
  setInterval(async () => {
    try {
      const response = await sc.request('/api/v1/sensors/environment');
      if (!response.ok) return;
      const sensors = await response.json();
      draw(sensors);
      updateTable(sensors);
    } catch { /* the next refresh tries again */ }
  }, 30000);

  // One sensor's charts.
  const section = document.getElementById('series');
  const charts = document.getElementById('series-charts');
  const note = document.getElementById('series-note');
  let current = null;
  let range = '24h';
  let drawn = [];
  const palette = { mean: '#0d6efd', band: 'rgba(13,110,253,0.15)', threshold: '#dc3545', clear: '#198754' };

  async function pick(id) {
    current = id;
    section.hidden = false;
    await load();
    section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  async function load() {
    note.textContent = 'Loading…';
    const response = await sc.request(`/api/v1/sensors/environment/${encodeURIComponent(current)}/series?range=${encodeURIComponent(range)}`);
    if (!response.ok) { note.textContent = await sc.problemText(response); return; }
    const series = await response.json();
    document.getElementById('series-title').textContent = series.name;
    for (const c of drawn) c.destroy();
    drawn = [];
    charts.replaceChildren();
    const minutes = series.bucketSeconds / 60;
    const aqiRules = series.aqiRules.map(r => `${r.rule}: AQI ${r.above ? '≥' : '≤'} ${r.threshold} (clears ${r.above ? '<' : '>'} ${r.clearLevel})`);
    note.textContent = `${sc.timeText(series.from, 'datetime')} – ${sc.timeText(series.to, 'datetime')}; mean per ${minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`}`
      + ` with the lowest–highest band` + (aqiRules.length ? `. AQI rules: ${aqiRules.join('; ')}` : '');
    if (series.quantities.length === 0) {
      charts.append(Object.assign(document.createElement('p'), { className: 'text-secondary small', id: 'series-empty', textContent: 'No readings in this range.' }));
      return;
    }
    for (const q of series.quantities) {
      const column = Object.assign(document.createElement('div'), { className: 'col-12 col-md-6' });
      const title = Object.assign(document.createElement('h3'), { className: 'h6 small mb-1', textContent: `${q.label} (${q.unit})` });
      const holder = Object.assign(document.createElement('div'), { className: 'series-chart' });
      const canvas = Object.assign(document.createElement('canvas'), { ariaLabel: `${q.label} over ${range}` });
      canvas.dataset.quantity = q.quantity;
      holder.append(canvas);
      column.append(title, holder);
      charts.append(column);
      // A time axis (numbers: ms since the epoch, labelled in the city's time): gaps without readings stay gaps.
      const xy = f => q.points.flatMap((p, i) => {
        const x = Date.parse(p.at);
        const gap = i > 0 && x - Date.parse(q.points[i - 1].at) > 3 * series.bucketSeconds * 1000;
        return gap ? [{ x: x - series.bucketSeconds * 1000, y: null }, { x, y: f(p) }] : [{ x, y: f(p) }];
      });
      const span = [Date.parse(series.from), Date.parse(series.to)];
      const datasets = [
        { label: 'lowest', data: xy(p => p.min), borderWidth: 0, pointRadius: 0, fill: false, spanGaps: false },
        { label: 'highest', data: xy(p => p.max), borderWidth: 0, pointRadius: 0, backgroundColor: palette.band, fill: '-1' },
        { label: 'mean', data: xy(p => p.mean), borderColor: palette.mean, backgroundColor: palette.mean, pointRadius: q.points.length < 30 ? 3 : 0, borderWidth: 2 },
      ];
      for (const r of q.thresholds) {
        datasets.push({ label: `${r.rule}: threshold ${number(r.threshold)}`, data: span.map(x => ({ x, y: r.threshold })), borderColor: palette.threshold,
          borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0 });
        datasets.push({ label: `clears at ${number(r.clearLevel)}`, data: span.map(x => ({ x, y: r.clearLevel })), borderColor: palette.clear,
          borderDash: [2, 3], borderWidth: 1, pointRadius: 0 });
      }
      drawn.push(new Chart(canvas, {
        type: 'line', data: { datasets },
        options: {
          maintainAspectRatio: false, animation: false, interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: {
            x: { type: 'linear', min: span[0], max: span[1],
              ticks: { maxTicksLimit: 6, maxRotation: 0, callback: v => sc.timeText(new Date(v).toISOString(), range === '24h' ? 'minutes' : 'datetime') } },
          },
          plugins: { tooltip: { callbacks: { title: items => items.length ? sc.timeText(new Date(items[0].parsed.x).toISOString(), 'datetime') : '' } },
            legend: { position: 'bottom', labels: { boxWidth: 10, filter: item => item.text !== 'lowest' && item.text !== 'highest' } } },
        },
        plugins: [sc.roomForPlot],
      }));
    }
  }

  for (const b of document.querySelectorAll('.sensor-pick')) b.addEventListener('click', () => pick(b.dataset.sensorId));
  for (const b of document.querySelectorAll('.series-range')) {
    b.addEventListener('click', async () => {
      range = b.dataset.range;
      for (const other of document.querySelectorAll('.series-range')) other.classList.toggle('active', other === b);
      if (current) await load();
    });
  }
})();
