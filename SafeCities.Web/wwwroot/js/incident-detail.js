// One incident: its place on the map, a summary of what reacted, and its timeline (grouped by module, repetitive entries folded), appended live.
(() => {
  const sc = window.safecities;
  const root = document.getElementById('incident');
  const id = root.dataset.incidentId;
  const at = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const map = sc.createMap('map', at, 17);
  sc.incidentMap = map; // the responder page adds the officer's own position
  let marker = sc.incidentMarker({ latitude: at[0], longitude: at[1], status: root.dataset.status }).addTo(map);
  const timeline = document.getElementById('timeline');
  const data = id => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : []; };
  // What the modules did, when their sections are on the page: camera cones (Video), raised lights (Lighting) and witnesses' pins. These
  // sections and a hit's decision follow the reports on the timeline live: the server draws the section again
  // (/Alerts/Incidents/Section/{id}/{name}, the markup of the page's load), it replaces the old one and its map layer is drawn again. A live
  // video someone is watching keeps playing. Video's clip reports change the evidence list only (evidence-clips.js); the responders line
  // follows the Responders entries. The summary, the actions that apply, the record (status history, corrections), the address and the
  // way there are drawn again when the incident's status, kind or place changes (incidentChanged, below); a change of place draws every
  // section again (distances, the vehicles seen).
  const sections = [
    { name: 'cameras', selector: 'section.incident-cameras', when: e => e.module === 'Video' && !/^Clip/.test(e.kind),
      draw: () => sc.drawCameras && sc.drawCameras(map, data('incident-cameras-data')).layer, keep: keepOpenPlayers },
    { name: 'lighting', selector: '#incident-lighting', when: e => e.module === 'Lighting',
      draw: () => window.safecitiesLighting && window.safecitiesLighting.drawIncidentLights(map).layer },
    { name: 'adjudication', selector: '#hit-adjudication', when: e => e.module === 'Plates' && /^Hit(Confirmed|Rejected)$/.test(e.kind) },
    { name: 'witnesses', selector: '#witness-statements', when: e => e.module === 'Alerts' && e.kind === 'WitnessStatement',
      draw: () => sc.drawWitnesses && sc.drawWitnesses(map).layer },
    { name: 'responders', selector: '#incident-responders', when: e => e.module === 'Responders' },
    { name: 'summary', selector: '#incident-summary', changed: true, drawn: () => summarise() },
    { name: 'actions', selector: '#incident-actions', changed: true },
    { name: 'record', selector: '#incident-record', changed: true, keep: keepCorrectionForm },
    { name: 'place', selector: '#incident-address[data-part="all"]', changed: true },
    { name: 'navigate', selector: '#navigate-links', changed: true, keep: (current, fresh) => fresh.querySelector('#distance')?.replaceWith(current.querySelector('#distance')) },
  ];
  for (const s of sections) {
    s.layer = s.draw && s.draw();
    s.refresh = sc.coalesced(async () => {
      if (!document.querySelector(s.selector)) return;
      const response = await sc.request(`/Alerts/Incidents/Section/${encodeURIComponent(id)}/${s.name}`, { headers: { Accept: 'text/html' } });
      const current = document.querySelector(s.selector);
      if (!response.ok || !current) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector(s.selector);
      if (!fresh) return;
      const section = document.adoptNode(fresh);
      if (s.keep) s.keep(current, section);
      current.replaceWith(section);
      if (s.layer) s.layer.remove();
      s.layer = s.draw && s.draw();
      if (s.drawn) s.drawn();
    });
  }
  // Witnesses may have been a few hundred metres away (or further, through their cluster): the map opens showing them all with the incident.
  const witnesses = sections.find(s => s.name === 'witnesses').layer;
  if (witnesses) {
    const bounds = L.latLngBounds([at]);
    witnesses.eachLayer(pin => bounds.extend(pin.getLatLng()));
    if (!map.getBounds().contains(bounds)) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }
  // An open player and its button move into the new section (moved, not copied: the video goes on playing and live-video.js still knows them).
  function keepOpenPlayers(current, section) {
    current.querySelectorAll('li[data-camera-id]').forEach(li => {
      const player = li.querySelector('.live-player:not([hidden])');
      const target = player && section.querySelector(`li[data-camera-id="${li.dataset.cameraId}"]`);
      if (!target) return;
      target.querySelector('.live-player')?.replaceWith(player);
      target.querySelector('button.live-watch')?.replaceWith(li.querySelector('button.live-watch'));
    });
  }

  // Correcting the place: with the correction form open, a click (a tap) on the map proposes the corrected place there — a marker to see it
  // by, and the form's latitude and longitude — to be recorded with a reason below; typing the coordinates still works.
  let proposed = null;
  const unpropose = () => { if (proposed) proposed.remove(); proposed = null; };
  map.on('click', e => {
    const form = document.getElementById('correct-incident');   // drawn again with the record section: looked up each time
    if (!form || !form.open) return;
    form.querySelector('#correct-lat').value = e.latlng.lat.toFixed(6);
    form.querySelector('#correct-lon').value = e.latlng.lng.toFixed(6);
    unpropose();
    proposed = L.circleMarker(e.latlng, { radius: 9, color: '#ffc107', weight: 3, fillOpacity: 0.25, interactive: false })
      .bindTooltip(sc.textNode('Corrected place: record it below'), { permanent: true, direction: 'auto' }).addTo(map);
  });
  document.addEventListener('toggle', e => { if (e.target.id === 'correct-incident' && !e.target.open) unpropose(); }, true);

  // A correction being written stays open with its reason; the kind and place start again from the incident's new ones (what the form sends
  // as a change is what differs from those).
  function keepCorrectionForm(current, section) {
    const [open, fresh] = [current.querySelector('#correct-incident'), section.querySelector('#correct-incident')];
    if (!open || !fresh) return;
    fresh.open = open.open;
    fresh.querySelector('#correct-reason').value = open.querySelector('#correct-reason').value;
  }

  // "What reacted", counted from the modules' reports on the timeline: the first number of the newest report of each kind, or with
  // `add`, of every report of it (a corrected location raises more lights and arms more readers; the first place's stay: ADR 0067).
  // `none`: the module's report that it could do nothing here (nothing in range, facing away, not dark): answered, not pending.
  // `ended`: its report that what it did is over (the raise ran its time or the incident stood down: ADR 0068), said beside the count.
  // `late`: its report that the incident was closed or reclassified before its reaction ran (a late delivery; ADR 0068, amended).
  const reactions = [
    { kinds: ['LightsBrightened'], none: ['LightingSkipped'], late: 'LightsNotRaised', noun: ['light', 'lights'], add: true, ended: ['LightsRestored', 'released'] },
    { kinds: ['CamerasTasked', 'CamerasRetasked'], none: ['NoCameraCoverage'], late: 'CamerasNotTasked', noun: ['camera', 'cameras'], sum: true },
    { kinds: ['PlateReadersArmed'], none: ['NoPlateReadersInRange'], late: 'PlateReadersNotArmed', noun: ['plate reader', 'plate readers'], add: true, ended: ['PlateReadersDisarmed', 'disarmed'] },
  ];
  function summarise() {
    const reacted = document.getElementById('incident-reacted');
    if (!reacted) return;
    const parts = [];
    const entries = [...timeline.querySelectorAll('li[data-entry-id]')];
    const late = reactions.some(r => entries.some(li => li.dataset.kind === r.late));
    const declined = reactions.filter(r => entries.some(li => r.none.includes(li.dataset.kind) || li.dataset.kind === r.late)).length;
    for (const r of reactions) {
      const items = entries.filter(li => r.kinds.includes(li.dataset.kind));
      if (items.length === 0) continue;
      const n = (r.add ? items : items.slice(-1)).reduce((total, li) => {
        // A camera report names PTZ cameras turned and fixed cameras covering: both count.
        const numbers = [...li.textContent.matchAll(/(\d+) (?:more )?(?:PTZ camera|fixed camera|lights?\b|plate readers?)/g)].map(m => parseInt(m[1], 10));
        return total + (r.sum ? numbers.reduce((a, b) => a + b, 0) : (numbers[0] || 0));
      }, 0);
      const ended = r.ended && entries.some(li => li.dataset.kind === r.ended[0]) ? ` (${r.ended[1]})` : '';
      parts.push(`${n} ${n === 1 ? r.noun[0] : r.noun[1]}${ended}`);
    }
    // Every module that reported could do nothing: say so, not "yet" (the timeline says why for each).
    // Before any report: "nothing yet", or, for a kind no module reacts to, that none will (the server knows their settings: data-idle).
    reacted.textContent = parts.length ? parts.join(' · ')
      : declined > 0 ? (late ? 'none: closed or reclassified before they ran' : 'none could act here (see the timeline)')
      : (reacted.dataset.idle || 'nothing yet');
  }

  // Grouped by module (Sensors, Alerts, Lighting, Video, Plates…, in the order they first reported) or in time order.
  let order = 'module';
  function arrange() {
    timeline.querySelectorAll('li.timeline-group').forEach(li => li.remove());
    const items = [...timeline.querySelectorAll('li[data-entry-id]')];
    items.sort((a, b) => (Date.parse(a.dataset.at) || 0) - (Date.parse(b.dataset.at) || 0)); // stable: same-millisecond entries keep their order
    if (order === 'module') {
      const first = new Map();
      items.forEach((li, n) => { if (!first.has(li.dataset.module)) first.set(li.dataset.module, n); });
      items.sort((a, b) => first.get(a.dataset.module) - first.get(b.dataset.module));
      let current = null;
      for (const li of items) {
        if (li.dataset.module !== current) {
          current = li.dataset.module;
          const count = items.filter(x => x.dataset.module === current).length;
          timeline.append(Object.assign(document.createElement('li'), {
            className: 'list-group-item timeline-group py-1', textContent: `${current} (${count})` }));
        }
        timeline.append(li);
      }
    } else {
      items.forEach(li => timeline.append(li));
    }
    if (sc.foldTimeline) sc.foldTimeline(timeline);
    summarise();
  }
  document.querySelectorAll('[data-timeline-order]').forEach(b => b.addEventListener('click', () => {
    order = b.dataset.timelineOrder;
    document.querySelectorAll('[data-timeline-order]').forEach(x => {
      x.classList.toggle('active', x === b);
      x.setAttribute('aria-pressed', String(x === b));
    });
    arrange();
  }));
  arrange();

  // A note someone else wrote appears in the notes list too ("Note by {author}: {text}" on the timeline).
  function addNote(entry) {
    const notes = document.getElementById('incident-notes');
    const m = /^Note by (.+?): ([\s\S]*)$/.exec(entry.text);
    if (!notes || !m || notes.querySelector(`[data-note-id="${entry.id}"]`)) return;
    const li = Object.assign(document.createElement('li'), { className: 'list-group-item' });
    li.dataset.noteId = entry.id;
    const meta = Object.assign(document.createElement('div'), { className: 'text-secondary' });
    meta.append(sc.timeElement(entry.at, 'datetime'), ' · ', Object.assign(document.createElement('span'), { className: 'text-break', textContent: m[1] }));
    li.append(meta, Object.assign(document.createElement('div'), { className: 'pre-wrap text-break', textContent: m[2] }));
    notes.append(li);
    document.getElementById('no-notes').classList.add('d-none');
  }

  // #incident's data hold what the page was drawn with (or last drawn again for): a change of status, kind or place draws its parts again
  // (and respond.js follows the status and place from there).
  const shown = root.dataset;
  const changes = {
    incidentChanged: incident => {
      if (incident.id !== id) return;
      document.getElementById('incident-title').textContent = incident.title;
      const status = document.getElementById('incident-status');
      status.textContent = incident.status;
      status.className = 'badge status-' + incident.status;
      const kind = document.getElementById('incident-kind');
      if (kind) {
        kind.textContent = incident.kindLabel;
        if (kind.classList.contains('kind-badge')) kind.className = `badge kind-badge kind-${incident.kind}`;
      }
      // A new kind closes with its own outcomes.
      if (incident.kind !== shown.kind) document.getElementById('close-outcome')?.replaceChildren(...sc.outcomeOptions(incident.kind));
      const rounds = document.getElementById('incident-rounds');
      if (rounds) rounds.textContent = `${incident.rounds} / ${incident.detections}`;
      // A gunshot incident no sensor had detected (a corrected report) that shots now join: its summary gets its rounds and first shot.
      else if (incident.detections > 0 && document.getElementById('incident-rounds-none')) sections.find(s => s.name === 'summary').refresh();
      const reads = document.getElementById('incident-reads');
      if (reads) reads.textContent = incident.detections;
      marker.remove();
      marker = sc.incidentMarker(incident).addTo(map);
      const moved = Math.abs(incident.latitude - parseFloat(shown.lat)) > 5e-7 || Math.abs(incident.longitude - parseFloat(shown.lon)) > 5e-7;
      if (moved || incident.status !== shown.status || incident.kind !== shown.kind) {
        Object.assign(shown, { status: incident.status, kind: incident.kind, lat: incident.latitude, lon: incident.longitude });
        sections.filter(s => moved || s.changed).forEach(s => s.refresh());
        if (moved && sc.refreshPlateReads) sc.refreshPlateReads();
        if (moved) unpropose();
        if (moved && !map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng(), { animate: false });
      }
    },
    timelineAppended: entry => {
      if (entry.incidentId !== id || timeline.querySelector(`[data-entry-id="${entry.id}"]`)) return;
      const li = document.createElement('li');
      li.className = 'list-group-item';
      li.dataset.entryId = entry.id;
      li.dataset.module = entry.module;
      li.dataset.kind = entry.kind;
      li.dataset.at = entry.at;
      const badge = Object.assign(document.createElement('span'), { className: 'badge text-bg-secondary me-1', textContent: entry.module });
      li.append(badge, sc.timeElement(entry.at), ' — ', Object.assign(document.createElement('span'), { className: 'pre-wrap', textContent: entry.text }));
      timeline.append(li);
      arrange();
      if (entry.module === 'Alerts' && entry.kind === 'Note') addNote(entry);
      if (entry.module === 'Plates' && sc.refreshPlateReads) sc.refreshPlateReads();
      if (entry.module === 'Video' && sc.refreshEvidenceClips) sc.refreshEvidenceClips();
      sections.filter(s => s.when && s.when(entry)).forEach(s => s.refresh());
    },
  };
  // Once connected, and again after a dropped connection: the incident and its timeline are fetched, and what reached it since the page was
  // drawn (or while the connection was down) is shown as if it had arrived live (entries already on the page are skipped by their id).
  const catchUp = sc.coalesced(async () => {
    const response = await sc.request(`/api/v1/incidents/${encodeURIComponent(id)}`);
    if (!response.ok) return;
    const detail = await response.json();
    changes.incidentChanged(detail.incident);
    detail.timeline.forEach(changes.timelineAppended);
  });
  sc.connectIncidents({ ...changes, connected: catchUp });
})();
