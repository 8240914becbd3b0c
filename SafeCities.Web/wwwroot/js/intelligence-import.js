// Intelligence CSV back-load: reads the file in the browser, posts it in chunks (header repeated), advances the bar per chunk and lists
// every rejected line with its reasons.
(() => {
  const form = document.getElementById('import-form');
  const agency = document.getElementById('import-agency');
  const fileInput = document.getElementById('import-file');
  const button = document.getElementById('import-start');
  const progress = document.getElementById('import-progress');
  const bar = progress.querySelector('.progress-bar');
  const status = document.getElementById('import-status');
  const rejectedList = document.getElementById('import-rejected');
  const chunkSize = parseInt(form.dataset.chunkSize, 10) || 250;

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
    delete status.dataset.done;
    if (!agency.value) { status.textContent = 'Register the agency first.'; return; }
    if (!file) { status.textContent = 'Choose a CSV file first.'; return; }
    const lines = (await file.text()).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
    const header = lines[0];
    const body = lines.slice(1);
    if (body.length === 0) { status.textContent = 'The file has no lines after the header.'; return; }

    button.disabled = true;
    progress.hidden = false;
    setProgress(0, body.length);
    let accepted = 0, created = 0, updated = 0, blank = 0, failed = null;
    const rejected = [];
    for (let i = 0; i < body.length; i += chunkSize) {
      const chunk = body.slice(i, i + chunkSize);
      status.textContent = `Importing lines ${i + 2}–${i + 1 + chunk.length} of ${body.length + 1}…`;
      let response;
      try {
        response = await fetch(`/api/v1/intelligence/agencies/${encodeURIComponent(agency.value)}/records-csv`, {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ header, firstLine: i + 2, lines: chunk }),
        });
      } catch (err) { failed = `Network error: ${err.message}`; break; }
      if (!response.ok) { failed = await problemText(response); break; }
      const result = await response.json();
      accepted += result.accepted; created += result.created; updated += result.updated; blank += result.blank;
      rejected.push(...result.rejected);
      setProgress(Math.min(i + chunk.length, body.length), body.length);
    }
    for (const r of rejected) {
      const li = document.createElement('li');
      li.dataset.line = r.line;
      li.textContent = `Line ${r.line}: ${r.reason}`;
      rejectedList.append(li);
    }
    const summary = `Accepted ${accepted} line${accepted === 1 ? '' : 's'} (${created} new, ${updated} updated); ${rejected.length} line${rejected.length === 1 ? '' : 's'} rejected`
      + (blank ? `; ${blank} blank line${blank === 1 ? '' : 's'} skipped` : '') + '.';
    status.textContent = failed ? `Stopped: ${failed} ${summary}` : summary;
    status.dataset.done = failed ? 'failed' : 'ok';
    button.disabled = false;
  });
})();
