// The command board: incident list + map, updated live over SignalR.
(() => {
  const sc = window.safecities;
  const canRespond = document.getElementById('board').dataset.canRespond === 'true';
  const tbody = document.querySelector('#incidents tbody');
  const empty = document.getElementById('no-incidents');
  const map = sc.createMap('map');
  const markers = new Map();
  const incidents = new Map();

  function button(label, cls, handler, id) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-sm text-nowrap ' + cls;
    b.textContent = label;
    b.dataset.action = handler.toLowerCase();
    b.addEventListener('click', () => act(id, handler, b));
    return b;
  }

  async function act(id, handler, btn) {
    btn.disabled = true;
    const response = await sc.request(`/Alerts/Incidents/Details/${id}?handler=${handler}`, { method: 'POST' });
    if (response.ok) {
      upsert(await response.json(), false);
    } else {
      btn.disabled = false;
      const problem = await response.json().catch(() => ({}));
      alert(problem.detail || `Could not ${handler.toLowerCase()} the incident (${response.status}).`);
    }
  }

  // Kinds look different in the list and on the map: a gunshot is a round marker, a hotlist hit a diamond (amber edge).
  const kindNames = { gunshot: 'Gunshot', 'hotlist-hit': 'Hotlist hit' };
  // Priority: open before acknowledged, gunshots before hotlist hits, then the most recent activity first.
  const statusRank = { open: 0, acknowledged: 1 };
  const kindRank = { gunshot: 0, 'hotlist-hit': 1 };
  const filters = {
    kind: document.getElementById('filter-kind'),
    status: document.getElementById('filter-status'),
    since: document.getElementById('filter-since'),
  };
  const filteredOut = document.getElementById('filtered-out');

  function visible(incident) {
    if (filters.kind.value && incident.kind !== filters.kind.value) return false;
    if (filters.status.value && incident.status !== filters.status.value) return false;
    const minutes = parseInt(filters.since.value, 10);
    return !minutes || Date.parse(incident.lastActivityAt) >= Date.now() - minutes * 60000;
  }

  function marker(incident) {
    if (incident.kind !== 'hotlist-hit') return sc.incidentMarker(incident);
    const icon = L.divIcon({ className: `incident-diamond status-${incident.status}`, iconSize: [16, 16] });
    return L.marker([incident.latitude, incident.longitude], { icon, keyboard: false, title: incident.title });
  }

  // Orders the rows by priority and shows only what the filters let through (rows and markers alike).
  function arrange() {
    const rows = [...tbody.querySelectorAll('tr[data-incident-id]')];
    const key = tr => incidents.get(tr.dataset.incidentId);
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      return (statusRank[x.status] ?? 2) - (statusRank[y.status] ?? 2) || (kindRank[x.kind] ?? 2) - (kindRank[y.kind] ?? 2)
        || y.lastActivityAt.localeCompare(x.lastActivityAt);
    });
    let hidden = 0;
    for (const tr of rows) {
      const show = visible(key(tr));
      tr.hidden = !show;
      if (!show) hidden++;
      tbody.append(tr);
      const m = markers.get(tr.dataset.incidentId);
      if (m) { if (show) m.addTo(map); else m.remove(); }
    }
    empty.hidden = rows.length > 0;
    filteredOut.hidden = hidden === 0;
    filteredOut.textContent = `${hidden} incident${hidden === 1 ? '' : 's'} hidden by the filters.`;
  }
  Object.values(filters).forEach(f => f.addEventListener('change', arrange));

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
      className: `badge kind-badge kind-${incident.kind} me-1`, textContent: kindNames[incident.kind] || incident.kind });
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
    if (canRespond && incident.status === 'open') buttons.append(button('Acknowledge', 'btn-warning', 'Acknowledge', incident.id));
    if (canRespond && incident.status !== 'closed') buttons.append(button('Close', 'btn-outline-light', 'Close', incident.id));
    actions.append(buttons);
    tr.append(status, title, since, actions);
    return tr;
  }

  function upsert(incident, flash) {
    incidents.set(incident.id, incident);
    const existing = tbody.querySelector(`tr[data-incident-id="${incident.id}"]`);
    if (incident.status === 'closed') {
      if (existing) existing.remove();
      if (markers.has(incident.id)) { markers.get(incident.id).remove(); markers.delete(incident.id); }
    } else {
      const row = render(incident);
      if (existing) existing.replaceWith(row); else tbody.prepend(row);
      if (flash) row.classList.add('incident-flash');
      if (markers.has(incident.id)) markers.get(incident.id).remove();
      const link = Object.assign(document.createElement('a'), { href: `/Alerts/Incidents/Details/${incident.id}`, textContent: incident.title });
      markers.set(incident.id, marker(incident).addTo(map).bindPopup(link));
      if (flash && !existing) map.panTo([incident.latitude, incident.longitude]);
    }
    arrange();
  }

  async function reload() {
    const [open, acknowledged] = await Promise.all(['open', 'acknowledged'].map(s =>
      sc.request(`/api/v1/incidents?status=${s}`).then(r => r.ok ? r.json() : [])));
    [...acknowledged, ...open].sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt)).forEach(i => upsert(i, false));
  }

  JSON.parse(document.getElementById('initial-incidents').textContent).reverse().forEach(i => upsert(i, false));
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

  sc.connectIncidents({ incidentChanged: i => upsert(i, true), reconnected: reload });
})();
