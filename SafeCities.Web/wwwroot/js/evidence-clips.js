// Evidence clips of an incident: "Save clip" (on a camera of the cameras section) records the camera's stream on the server (it answers
// when the file is written); automatic clips of the bookmark window are listed while they record and refreshed until they are saved or
// failed. Each clip shows its bookmark window and the window its file covers, its SHA-256 and a download link. Built with textContent only.
(() => {
  const section = document.getElementById('evidence');
  if (!section || section.dataset.wired) return;
  section.dataset.wired = '1';
  const sc = window.safecities;
  const incidentId = section.dataset.incidentId;
  const list = document.getElementById('evidence-clips');
  const status = document.getElementById('clip-status');
  const count = document.getElementById('evidence-count');
  const div = (className, ...parts) => { const d = Object.assign(document.createElement('div'), { className }); d.append(...parts); return d; };

  function item(c) {
    const li = Object.assign(document.createElement('li'), { className: 'list-group-item text-break' });
    Object.assign(li.dataset, { clipId: c.id, sha256: c.sha256, status: c.status, savedBy: c.savedBy });
    li.append(Object.assign(document.createElement('strong'), { textContent: c.cameraName }), ' ',
      Object.assign(document.createElement('span'), { className: `badge clip-status clip-${c.status}`, textContent: c.status }),
      ` · ${c.automatic ? 'recorded automatically' : `saved by ${c.savedBy}`} · ${c.source}`);
    if (c.bookmarkFrom) li.append(div('clip-bookmark', 'Bookmark: ', sc.timeElement(c.bookmarkFrom), ' – ', sc.timeElement(c.bookmarkTo)));
    if (c.status === 'saved') {
      const from = c.coveredFrom || c.recordedFrom;
      const to = c.coveredTo || new Date(new Date(c.recordedFrom).getTime() + c.durationSeconds * 1000).toISOString();
      li.append(div('clip-covered', 'Covered: ', sc.timeElement(from), ' – ', sc.timeElement(to),
        ` · ${c.durationSeconds.toFixed(1)} s · ${Math.round(c.sizeBytes / 1024)} KB`));
      li.append(div('', 'SHA-256 ', Object.assign(document.createElement('code'), { className: 'sha256', textContent: c.sha256 })));
      const link = Object.assign(document.createElement('a'), { className: 'clip-download', href: c.downloadUrl, textContent: 'Download' });
      link.setAttribute('download', '');
      li.append(link);
    } else if (c.status === 'recording') {
      li.append(div('clip-covered text-secondary', 'Recording since ', sc.timeElement(c.recordedFrom), '…'));
    } else {
      li.append(div('clip-failure text-danger', c.failure || 'failed'));
    }
    return li;
  }

  function render(clips) {
    list.replaceChildren(...clips.map(item));
    if (clips.length === 0) list.append(Object.assign(document.createElement('li'), { className: 'list-group-item text-secondary', id: 'evidence-none', textContent: 'No clip saved yet.' }));
    count.textContent = String(clips.length);
  }

  // While an automatic clip records, look again every few seconds (it ends with the bookmark window or the longest clip). Only the latest
  // answer is shown, so an older one still in flight cannot hide a clip just saved.
  let version = 0;
  let timer = 0;
  async function load() {
    const mine = ++version;
    try {
      const r = await sc.request(`/api/v1/video/incidents/${encodeURIComponent(incidentId)}/clips`);
      if (r.ok && mine === version) render(await r.json());
    } catch { /* the next round tries again */ }
    schedule();
  }
  function schedule() {
    clearTimeout(timer);
    if (list.querySelector('[data-status="recording"]')) timer = setTimeout(load, 3000);
  }
  schedule();
  // The incident page's live timeline calls this on Video's entries: the clips the reaction starts appear, and one saved shows at once.
  sc.refreshEvidenceClips = load;

  // "Save clip" is on each camera in the cameras section (drawn again when the cameras react): listened for on the document.
  document.addEventListener('click', async e => {
    const button = e.target.closest('button.save-clip');
    if (!button || !status) return;
    button.disabled = true;
    status.textContent = 'Recording the clip…';
    try {
      const r = await sc.request(`/api/v1/video/incidents/${encodeURIComponent(incidentId)}/cameras/${encodeURIComponent(button.dataset.cameraId)}/clips`,
        { method: 'POST', json: {} });
      if (!r.ok) { status.textContent = await sc.problemText(r); return; }
      const clip = await r.json();
      version++;
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
