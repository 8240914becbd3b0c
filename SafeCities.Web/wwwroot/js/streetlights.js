// Streetlight registry: the map, and the CSV import that posts the file in chunks with a progress bar and a per-line report.
(() => {
  const sc = window.safecities;
  const colors = { normal: '#ffc107', raised: '#ffffff', faulty: '#dc3545' };
  const points = JSON.parse(document.getElementById('streetlight-points').textContent);
  const map = sc.createMap('map');
  const bounds = [];
  for (const p of points) {
    const s = p.settings || {};
    L.circleMarker([p.latitude, p.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colors[s.state] || colors.normal })
      .bindTooltip(`${p.name} — ${s.currentLevel ?? '?'} % (${s.state || 'normal'})`).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });

  const form = document.getElementById('import-form');
  const fileInput = document.getElementById('import-file');
  const button = document.getElementById('import-start');
  const progress = document.getElementById('import-progress');
  const bar = progress.querySelector('.progress-bar');
  const status = document.getElementById('import-status');
  const rejectedList = document.getElementById('import-rejected');
  const chunkSize = parseInt(form.dataset.chunkSize, 10) || 100;

  const setProgress = (done, total) => {
    const percent = total === 0 ? 100 : Math.round(done * 100 / total);
    progress.setAttribute('aria-valuenow', String(percent));
    bar.style.width = percent + '%';
    bar.textContent = percent + ' %';
  };
  const problemText = async response => {
    try {
      const p = await response.json();
      const errors = p.errors ? Object.entries(p.errors).map(([k, v]) => `${k}: ${v.join(' ')}`).join(' ') : '';
      return `${p.detail || p.title || response.statusText} ${errors}`.trim();
    } catch { return `${response.status} ${response.statusText}`; }
  };

  form.addEventListener('submit', async e => {
    e.preventDefault();
    const file = fileInput.files[0];
    rejectedList.replaceChildren();
    if (!file) { status.textContent = 'Choose a CSV file first.'; return; }
    const lines = (await file.text()).split(/\r\n|\n|\r/);
    while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
    const header = lines[0];
    const body = lines.slice(1);
    if (body.length === 0) { status.textContent = 'The file has no lines after the header.'; return; }

    button.disabled = true;
    progress.hidden = false;
    setProgress(0, body.length);
    let imported = 0, blank = 0, failed = null;
    const rejected = [];
    for (let i = 0; i < body.length; i += chunkSize) {
      const chunk = body.slice(i, i + chunkSize);
      status.textContent = `Importing lines ${i + 2}–${i + 1 + chunk.length} of ${body.length + 1}…`;
      let response;
      try {
        response = await fetch('/api/v1/lighting/streetlights/import', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ header, firstLine: i + 2, lines: chunk }),
        });
      } catch (err) { failed = `Network error: ${err.message}`; break; }
      if (!response.ok) { failed = await problemText(response); break; }
      const result = await response.json();
      imported += result.imported;
      blank += result.blank;
      rejected.push(...result.rejected);
      setProgress(Math.min(i + chunk.length, body.length), body.length);
    }
    for (const r of rejected) {
      const li = document.createElement('li');
      li.dataset.line = r.line;
      li.textContent = `Line ${r.line}: ${r.reason}`;
      rejectedList.append(li);
    }
    const summary = `Imported ${imported} light${imported === 1 ? '' : 's'}; ${rejected.length} line${rejected.length === 1 ? '' : 's'} rejected`
      + (blank ? `; ${blank} blank line${blank === 1 ? '' : 's'} skipped` : '') + '.';
    status.textContent = failed ? `Stopped: ${failed} ${summary}` : summary;
    status.dataset.done = failed ? 'failed' : 'ok';
    if (imported > 0) {
      const reload = Object.assign(document.createElement('a'), { href: location.pathname, textContent: ' Show them on the map.' });
      status.append(reload);
    }
    button.disabled = false;
  });
})();
