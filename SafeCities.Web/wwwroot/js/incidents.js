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
    b.className = 'btn btn-sm ' + cls;
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

  function render(incident) {
    const tr = document.createElement('tr');
    tr.dataset.incidentId = incident.id;
    tr.dataset.status = incident.status;
    const status = document.createElement('td');
    const badge = status.appendChild(sc.textNode(incident.status));
    badge.className = `badge status-${incident.status}`;
    const title = document.createElement('td');
    const link = document.createElement('a');
    link.href = `/Alerts/Incidents/Details/${incident.id}`;
    link.textContent = incident.title;
    title.append(link, Object.assign(document.createElement('div'), { className: 'small text-secondary', textContent: incident.source }));
    const since = document.createElement('td');
    since.className = 'small';
    since.append(sc.timeElement(incident.openedAt));
    const actions = document.createElement('td');
    actions.className = 'text-end text-nowrap';
    if (canRespond && incident.status === 'open') actions.append(button('Acknowledge', 'btn-warning me-1', 'Acknowledge', incident.id));
    if (canRespond && incident.status !== 'closed') actions.append(button('Close', 'btn-outline-light', 'Close', incident.id));
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
      const marker = sc.incidentMarker(incident).addTo(map).bindPopup(link);
      markers.set(incident.id, marker);
      if (flash && !existing) map.panTo([incident.latitude, incident.longitude]);
    }
    empty.hidden = tbody.children.length > 0;
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
