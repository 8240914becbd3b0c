// The command board: incident list + map, updated live over SignalR; filters, grouping, pages of 25, a sound and a flash for new gunshots
// (mutable, remembered in localStorage), keyboard shortcuts (documented on the page), and closing with an outcome.
(() => {
  const sc = window.safecities;
  const canRespond = document.getElementById('board').dataset.canRespond === 'true';
  const tbody = document.querySelector('#incidents tbody');
  const empty = document.getElementById('no-incidents');
  const map = sc.createMap('map');
  const markers = new Map();
  const incidents = new Map();
  const pageSize = 25;
  let page = 0;
  let selectedId = null;

  function button(label, cls, action, id) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-sm text-nowrap ' + cls;
    b.textContent = label;
    b.dataset.action = action;
    b.addEventListener('click', () => (action === 'close' ? askClose(id) : acknowledge(id, b)));
    return b;
  }

  async function acknowledge(id, btn) {
    if (btn) btn.disabled = true;
    const response = await sc.request(`/api/v1/incidents/${id}/acknowledge`, { method: 'POST' });
    if (response.ok) {
      upsert(await response.json(), false);
    } else {
      if (btn) btn.disabled = false;
      alert(await sc.problemText(response));
    }
  }

  // Closing asks for the outcome (the kind's fixed list) and optional notes, in a dialog.
  const closeDialog = document.getElementById('close-dialog');
  const closeForm = document.getElementById('close-form');
  let closingId = null;
  function askClose(id) {
    const incident = incidents.get(id);
    if (!closeDialog || !incident || incident.status === 'closed') return;
    closingId = id;
    document.getElementById('close-dialog-title').textContent = `Close: ${incident.title}`;
    const select = document.getElementById('close-outcome');
    select.replaceChildren(...sc.outcomeOptions(incident.kind));
    document.getElementById('close-notes').value = '';
    document.getElementById('close-error').hidden = true;
    bootstrap.Modal.getOrCreateInstance(closeDialog).show();
  }
  if (closeDialog) {
    closeDialog.addEventListener('shown.bs.modal', () => document.getElementById('close-outcome').focus());
    closeForm.addEventListener('submit', async e => {
      e.preventDefault();
      const submit = document.getElementById('close-submit');
      const error = document.getElementById('close-error');
      submit.disabled = true;
      const response = await sc.request(`/api/v1/incidents/${closingId}/close`, { method: 'POST', json: {
        outcome: document.getElementById('close-outcome').value, notes: document.getElementById('close-notes').value || null } });
      submit.disabled = false;
      if (response.ok) {
        bootstrap.Modal.getOrCreateInstance(closeDialog).hide();
        upsert(await response.json(), false);
      } else {
        error.textContent = await sc.problemText(response);
        error.hidden = false;
      }
    });
  }

  // Kinds look different in the list and on the map: a gunshot is a round marker, a hotlist hit a diamond (amber edge).
  const statusNames = { open: 'Open', acknowledged: 'Acknowledged' };
  // Priority: open before acknowledged, gunshots before hotlist hits, then the most recent activity first.
  const statusRank = { open: 0, acknowledged: 1 };
  const kindRank = { gunshot: 0, 'hotlist-hit': 1 };
  const filters = {
    kind: document.getElementById('filter-kind'),
    status: document.getElementById('filter-status'),
    since: document.getElementById('filter-since'),
    group: document.getElementById('group-by'),
    district: document.getElementById('filter-district'),
    area: document.getElementById('filter-map'),
  };
  // District code → name (the filter's options, rendered by the page); '-' is "outside the districts".
  const districtOptions = [...filters.district.options].filter(o => o.value);
  const districtNames = Object.fromEntries(districtOptions.map(o => [o.value, o.textContent]));
  const districtRank = Object.fromEntries(districtOptions.map((o, i) => [o.value, i]));
  const districtOf = incident => incident.district && districtNames[incident.district] ? incident.district : '-';
  const filteredOut = document.getElementById('filtered-out');
  const pager = { nav: document.getElementById('board-pager'), info: document.getElementById('page-info'),
    prev: document.getElementById('page-prev'), next: document.getElementById('page-next') };

  function visible(incident) {
    if (filters.kind.value && incident.kind !== filters.kind.value) return false;
    if (filters.status.value && incident.status !== filters.status.value) return false;
    if (filters.district.value && districtOf(incident) !== filters.district.value) return false;
    if (filters.area.checked && !map.getBounds().contains([incident.latitude, incident.longitude])) return false;
    const minutes = parseInt(filters.since.value, 10);
    return !minutes || Date.parse(incident.lastActivityAt) >= Date.now() - minutes * 60000;
  }

  function marker(incident) {
    if (incident.kind !== 'hotlist-hit') return sc.incidentMarker(incident);
    const icon = L.divIcon({ className: `incident-diamond status-${incident.status}`, iconSize: [16, 16] });
    return L.marker([incident.latitude, incident.longitude], { icon, keyboard: false, title: incident.title });
  }

  const priority = (x, y) => (statusRank[x.status] ?? 2) - (statusRank[y.status] ?? 2) || (kindRank[x.kind] ?? 2) - (kindRank[y.kind] ?? 2)
    || y.lastActivityAt.localeCompare(x.lastActivityAt);
  const groupOf = incident => filters.group.value === 'kind' ? incident.kindLabel
    : filters.group.value === 'status' ? (statusNames[incident.status] || incident.status)
    : filters.group.value === 'district' ? districtNames[districtOf(incident)] : null;
  const groupRank = incident => filters.group.value === 'kind' ? (kindRank[incident.kind] ?? 2)
    : filters.group.value === 'status' ? (statusRank[incident.status] ?? 2)
    : filters.group.value === 'district' ? districtRank[districtOf(incident)] : 0;

  // The districts' boundaries under the incidents (thin, not clickable): where one district ends is what the filter means.
  if (districtOptions.length > 1)
    sc.request('/api/v1/districts').then(r => r.ok ? r.json() : null).then(geo => {
      if (geo) L.geoJSON(geo, { interactive: false, style: { color: '#6c757d', weight: 1.5, dashArray: '4 4', fill: false } }).addTo(map);
    });

  // Orders the rows by priority (within their group), shows one page of what the filters let through (rows and markers alike).
  function arrange() {
    tbody.querySelectorAll('tr.board-group').forEach(tr => tr.remove());
    const rows = [...tbody.querySelectorAll('tr[data-incident-id]')];
    const key = tr => incidents.get(tr.dataset.incidentId);
    rows.sort((a, b) => groupRank(key(a)) - groupRank(key(b)) || priority(key(a), key(b)));
    const shown = rows.filter(tr => visible(key(tr)));
    const pages = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(page, pages - 1);
    const onPage = new Set(shown.slice(page * pageSize, (page + 1) * pageSize));
    let group = null;
    for (const tr of rows) {
      const show = onPage.has(tr);
      tr.hidden = !show;
      if (show && groupOf(key(tr)) !== null && groupOf(key(tr)) !== group) {
        group = groupOf(key(tr));
        const header = Object.assign(document.createElement('tr'), { className: 'board-group' });
        const count = shown.filter(x => groupOf(key(x)) === group).length;
        header.append(Object.assign(document.createElement('th'), { colSpan: 4, textContent: `${group} (${count})` }));
        tbody.append(header);
      }
      tbody.append(tr);
      const m = markers.get(tr.dataset.incidentId);
      if (m) { if (visible(key(tr))) m.addTo(map); else m.remove(); }
    }
    const hidden = rows.length - shown.length;
    empty.hidden = rows.length > 0;
    filteredOut.hidden = hidden === 0;
    filteredOut.textContent = `${hidden} incident${hidden === 1 ? '' : 's'} hidden by the filters.`;
    pager.nav.hidden = pages <= 1;
    pager.info.textContent = `Page ${page + 1} of ${pages} (${shown.length} incidents)`;
    pager.prev.disabled = page === 0;
    pager.next.disabled = page >= pages - 1;
    if (selectedId && !onPage.has(tbody.querySelector(`tr[data-incident-id="${selectedId}"]`))) select(null);
  }
  for (const f of Object.values(filters)) f.addEventListener('change', () => { page = 0; arrange(); });
  map.on('moveend', () => { if (filters.area.checked) arrange(); });
  pager.prev.addEventListener('click', () => { page = Math.max(0, page - 1); arrange(); });
  pager.next.addEventListener('click', () => { page++; arrange(); });

  function render(incident) {
    const tr = document.createElement('tr');
    tr.dataset.incidentId = incident.id;
    tr.dataset.status = incident.status;
    tr.dataset.kind = incident.kind;
    const status = Object.assign(document.createElement('td'), { className: 'd-none d-sm-table-cell' });
    const badge = status.appendChild(sc.textNode(incident.status));
    badge.className = `badge status-${incident.status}`;
    const title = document.createElement('td');
    const link = document.createElement('a');
    link.href = `/Alerts/Incidents/Details/${incident.id}`;
    link.textContent = incident.title;
    const kind = Object.assign(document.createElement('span'), {
      className: `badge kind-badge kind-${incident.kind} me-1`, textContent: incident.kindLabel });
    // On a phone the status column gives its width to the actions: the status is a badge beside the kind.
    const phoneStatus = Object.assign(document.createElement('span'), { className: `badge status-${incident.status} d-sm-none me-1`, textContent: incident.status });
    title.append(phoneStatus, kind, link, Object.assign(document.createElement('div'), { className: 'small text-secondary', textContent: incident.source }));
    const since = document.createElement('td');
    since.className = 'small text-nowrap';
    since.append(sc.timeElement(incident.openedAt));
    const actions = document.createElement('td');
    actions.className = 'text-end';
    // Stacked on a phone so that Close stays on the screen; side by side from the small breakpoint up.
    const buttons = Object.assign(document.createElement('div'), { className: 'd-flex flex-column flex-sm-row gap-1 justify-content-end' });
    if (canRespond && incident.status === 'open') buttons.append(button('Acknowledge', 'btn-warning', 'acknowledge', incident.id));
    if (canRespond && incident.status !== 'closed') buttons.append(button('Close', 'btn-outline-light', 'close', incident.id));
    actions.append(buttons);
    tr.append(status, title, since, actions);
    tr.addEventListener('click', e => { if (!e.target.closest('a, button')) select(incident.id); });
    if (incident.id === selectedId) tr.classList.add('board-selected');
    return tr;
  }

  // A new incident of high priority (a gunshot) beeps (unless muted) and flashes a banner above the list.
  const alertBox = document.getElementById('board-alert');
  const muteButton = document.getElementById('board-mute');
  const muteKey = 'safecities.board.muted';
  let muted = localStorage.getItem(muteKey) === 'true';
  function showMute() {
    muteButton.textContent = muted ? 'Sound off' : 'Sound on';
    muteButton.setAttribute('aria-pressed', String(muted));
  }
  function toggleMute() {
    muted = !muted;
    localStorage.setItem(muteKey, String(muted));
    showMute();
  }
  muteButton.addEventListener('click', toggleMute);
  showMute();
  let audio = null;
  // Browsers start audio only after a gesture on the page: the first click or key press readies it.
  const ready = () => {
    try { audio = audio || new AudioContext(); if (audio.state === 'suspended') audio.resume(); } catch { audio = null; }
  };
  document.addEventListener('pointerdown', ready, { once: true });
  document.addEventListener('keydown', ready, { once: true });
  function beep() {
    if (!audio) ready();
    if (!audio) return false;
    // Two short tones (880 Hz, 660 Hz), generated here: no audio file.
    [[880, 0], [660, 0.22]].forEach(([hz, start]) => {
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.25, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + start);
      osc.stop(audio.currentTime + start + 0.2);
    });
    return true;
  }
  let alertTimer = null;
  function announce(incident) {
    alertBox.textContent = `New ${incident.kindLabel.toLowerCase()}: ${incident.title}`;
    alertBox.dataset.incidentId = incident.id;
    alertBox.dataset.sound = muted ? 'muted' : (beep() ? 'played' : 'unavailable');
    alertBox.hidden = false;
    alertBox.classList.remove('board-alert');
    void alertBox.offsetWidth; // restart the animation
    alertBox.classList.add('board-alert');
    clearTimeout(alertTimer);
    alertTimer = setTimeout(() => { alertBox.hidden = true; }, 20000);
  }
  alertBox.addEventListener('click', () => { location.href = `/Alerts/Incidents/Details/${alertBox.dataset.incidentId}`; });

  function upsert(incident, live) {
    const known = incidents.has(incident.id);
    incidents.set(incident.id, incident);
    const existing = tbody.querySelector(`tr[data-incident-id="${incident.id}"]`);
    if (incident.status === 'closed') {
      if (existing) existing.remove();
      if (markers.has(incident.id)) { markers.get(incident.id).remove(); markers.delete(incident.id); }
      incidents.delete(incident.id);
    } else {
      const row = render(incident);
      if (existing) existing.replaceWith(row); else tbody.prepend(row);
      if (live) row.classList.add('incident-flash');
      if (markers.has(incident.id)) markers.get(incident.id).remove();
      const link = Object.assign(document.createElement('a'), { href: `/Alerts/Incidents/Details/${incident.id}`, textContent: incident.title });
      markers.set(incident.id, marker(incident).addTo(map).bindPopup(link));
      if (live && !existing) map.panTo([incident.latitude, incident.longitude]);
      if (live && !known && incident.status === 'open' && incident.kind === 'gunshot') announce(incident);
    }
    arrange();
  }

  // More open (or acknowledged) incidents than the board draws: said above the list, with where to find them all. As of the board's last
  // drawing (its load, a reconnection); incidents since come live as ever.
  const leftOut = document.getElementById('board-left-out');
  function sayLeftOut(board) {
    const count = n => n.toLocaleString('en-US');
    const over = [['open', board.open], ['acknowledged', board.acknowledged]].filter(([, n]) => n > board.limit);
    leftOut.hidden = over.length === 0;
    leftOut.replaceChildren(...over.flatMap(([status, n]) => [
      `${count(n)} ${status} incidents: this board was drawn with the ${count(board.limit)} most recently active (`,
      Object.assign(document.createElement('a'), { href: `/incidents/history?status=${status}`, textContent: `all ${status} incidents` }), '). ']));
  }

  // Once connected and after every reconnection: the open and acknowledged incidents again. One the board did not have opened while it was
  // not connected yet (or not any more), and arrives as a live one would: flashed, and announced if it is a gunshot. One the board has
  // that the board's list does not hold was closed meanwhile, or arrived live after the list was read, or lies beyond what the board draws
  // of its status: it is asked for on its own, and leaves the board only if it is closed.
  async function reload() {
    const board = await sc.request('/api/v1/incidents/board').then(r => r.ok ? r.json() : null);
    if (!board) return;
    sayLeftOut(board);
    [...board.incidents].reverse().forEach(i => upsert(i, !incidents.has(i.id)));
    const listed = new Set(board.incidents.map(i => i.id));
    await Promise.all([...incidents.keys()].filter(id => !listed.has(id)).map(async id => {
      const response = await sc.request(`/api/v1/incidents/${encodeURIComponent(id)}`);
      if (!response.ok) return;
      const { incident } = await response.json();
      if (incident.status === 'closed' && incidents.has(id)) upsert(incident, false);
    }));
  }

  // Keyboard: j/k select, Enter opens, a acknowledges, c closes, / the filters, n/p pages, m mutes, ? the shortcuts.
  function visibleRows() { return [...tbody.querySelectorAll('tr[data-incident-id]')].filter(tr => !tr.hidden); }
  function select(id) {
    selectedId = id;
    tbody.querySelectorAll('tr.board-selected').forEach(tr => tr.classList.remove('board-selected'));
    const tr = id && tbody.querySelector(`tr[data-incident-id="${id}"]`);
    if (tr) { tr.classList.add('board-selected'); tr.scrollIntoView({ block: 'nearest' }); }
  }
  function move(step) {
    const rows = visibleRows();
    if (rows.length === 0) return;
    const at = rows.findIndex(tr => tr.dataset.incidentId === selectedId);
    const next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + step));
    select(rows[next].dataset.incidentId);
  }
  // Typing in a field (or a dialog) is not a shortcut; Esc leaves a filter so that the keys work again.
  const typing = t => t.closest('select, textarea, [contenteditable], .modal') || (t.matches('input') && !['checkbox', 'radio', 'button'].includes(t.type));
  document.addEventListener('keydown', e => {
    if (e.key === 'Escape' && e.target.closest('#board-filters')) { e.target.blur(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const keys = {
      j: () => move(1), k: () => move(-1),
      Enter: () => { if (selectedId) location.href = `/Alerts/Incidents/Details/${selectedId}`; },
      a: () => { const i = incidents.get(selectedId); if (canRespond && i && i.status === 'open') acknowledge(i.id, null); },
      c: () => { if (canRespond && selectedId) askClose(selectedId); },
      '/': () => filters.kind.focus(),
      n: () => { if (!pager.next.disabled) pager.next.click(); },
      p: () => { if (!pager.prev.disabled) pager.prev.click(); },
      m: toggleMute,
      '?': () => bootstrap.Collapse.getOrCreateInstance(document.getElementById('board-shortcuts')).toggle(),
    };
    const action = keys[e.key];
    if (!action || (e.key === 'Enter' && e.target.closest('a, button'))) return;
    e.preventDefault();
    action();
  });

  const drawn = JSON.parse(document.getElementById('initial-board').textContent);
  sayLeftOut(drawn);
  [...drawn.incidents].reverse().forEach(i => upsert(i, false));
  // Officers sharing their position (small blue dots), refreshed every 30 s: who is near an incident or a hit.
  const officers = L.layerGroup().addTo(map);
  async function refreshOfficers() {
    const r = await sc.request('/api/v1/officers/positions').catch(() => null);
    if (!r || !r.ok) return;
    officers.clearLayers();
    for (const o of await r.json())
      L.circleMarker([o.latitude, o.longitude], { radius: 5, weight: 1, color: '#fff', fillColor: '#0dcaf0', fillOpacity: 1, className: 'officer-marker' })
        .bindTooltip(sc.textNode(`${o.userName} · ${sc.timeText(o.reportedAt)}`)).addTo(officers);
  }
  refreshOfficers();
  setInterval(refreshOfficers, 30000);

  // Other authorities' CAP alerts in force (dashed, under the incidents), refreshed every minute: a shooting inside a tornado warning.
  const inbound = L.layerGroup().addTo(map);
  async function refreshInbound() {
    const r = await sc.request('/api/v1/alerts/cap/current').catch(() => null);
    if (!r || !r.ok) return;
    const alerts = await r.json();
    inbound.clearLayers();
    sc.inboundAlertLayers(alerts, { fillOpacity: 0.06, dashArray: '6 4' }).all.addTo(inbound);
    document.getElementById('map').dataset.inboundAlerts = String(alerts.length);
  }
  refreshInbound();
  setInterval(refreshInbound, 60000);

  sc.connectIncidents({ incidentChanged: i => upsert(i, true), connected: reload });
})();
