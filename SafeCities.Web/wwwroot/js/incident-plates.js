// "Vehicles seen" on an incident: window.safecities.refreshPlateReads() refetches the incident's plate reads and re-renders the
// list drawn by the IncidentPlateReads view component. The incident page calls it when a Plates timeline entry arrives (one
// hub connection per page); a page that has no connection of its own renders the component with live = true and this file
// connects and refreshes by itself.
(() => {
  const sc = window.safecities = window.safecities || {};
  const root = document.getElementById('incident-plate-reads');
  if (!root) return;
  const incidentId = root.dataset.incidentId;
  const list = root.querySelector('[data-role="list"]');
  const empty = root.querySelector('[data-role="empty"]');
  const count = root.querySelector('[data-role="count"]');
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function item(r) {
    const li = el('li', 'list-group-item px-2 py-1');
    li.dataset.readId = r.id;
    li.dataset.listed = r.listed ? 'true' : 'false';
    const top = el('div', 'd-flex flex-wrap align-items-baseline gap-2');
    const time = sc.timeElement(r.capturedAt);
    time.className = 'ms-auto text-secondary';
    top.append(el('strong', 'font-monospace plate', r.plate), el('span', 'badge text-bg-light', r.region),
      el('span', 'vehicle', [r.color, r.make, r.model].filter(s => s && s.trim()).join(' ')), time);
    const bottom = el('div', 'text-secondary reader',
      `${r.readerName} · ${Math.round(r.distanceMeters)} m away · ${Math.round(r.confidence * 100)}% confidence`);
    li.append(top, bottom);
    return li;
  }

  function render(reads) {
    list.replaceChildren(...reads.map(item));
    count.textContent = reads.length;
    empty.classList.toggle('d-none', reads.length > 0);
  }

  const refreshPlateReads = sc.coalesced(async () => {
    const response = await sc.request(`/api/v1/plates/incidents/${encodeURIComponent(incidentId)}/reads`);
    if (response.ok) render(await response.json());
  });
  sc.refreshPlateReads = refreshPlateReads;

  if (root.dataset.live === 'true' && sc.connectIncidents) {
    sc.connectIncidents({
      timelineAppended: entry => { if (entry.incidentId === incidentId && entry.module === 'Plates') refreshPlateReads(); },
      connected: refreshPlateReads,
    });
  }
})();
