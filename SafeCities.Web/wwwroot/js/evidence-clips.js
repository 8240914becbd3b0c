// Evidence clips of an incident: "Save clip" records the camera's stream on the server (it answers when the file is written) and the
// clip is listed with its SHA-256 and a download link. Built with textContent only.
(() => {
  const section = document.getElementById('evidence');
  if (!section || section.dataset.wired) return;
  section.dataset.wired = '1';
  const sc = window.safecities;
  const incidentId = section.dataset.incidentId;
  const list = document.getElementById('evidence-clips');
  const status = document.getElementById('clip-status');
  const count = document.getElementById('evidence-count');

  function item(c) {
    const li = Object.assign(document.createElement('li'), { className: 'list-group-item text-break' });
    li.dataset.clipId = c.id;
    li.dataset.sha256 = c.sha256;
    const size = `${Math.round(c.sizeBytes / 1024)} KB`;
    li.append(Object.assign(document.createElement('strong'), { textContent: c.cameraName }), ' · ', sc.timeElement(c.recordedFrom),
      ` · ${c.durationSeconds.toFixed(1)} s · ${size} · saved by ${c.savedBy}`);
    const hash = document.createElement('div');
    hash.append('SHA-256 ', Object.assign(document.createElement('code'), { className: 'sha256', textContent: c.sha256 }));
    const link = Object.assign(document.createElement('a'), { className: 'clip-download', href: c.downloadUrl, textContent: 'Download' });
    link.setAttribute('download', '');
    li.append(hash, link);
    return li;
  }

  section.addEventListener('click', async e => {
    const button = e.target.closest('button.save-clip');
    if (!button) return;
    button.disabled = true;
    status.textContent = 'Recording the clip…';
    try {
      const r = await sc.request(`/api/v1/video/incidents/${encodeURIComponent(incidentId)}/cameras/${encodeURIComponent(button.dataset.cameraId)}/clips`,
        { method: 'POST', json: {} });
      if (!r.ok) { status.textContent = await sc.problemText(r); return; }
      const clip = await r.json();
      const none = document.getElementById('evidence-none');
      if (none) none.remove();
      list.prepend(item(clip));
      count.textContent = String(list.querySelectorAll('[data-clip-id]').length);
      status.textContent = `Saved: ${clip.durationSeconds.toFixed(1)} s, SHA-256 ${clip.sha256.slice(0, 16)}…`;
    } catch (err) {
      status.textContent = `Not saved: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
})();
