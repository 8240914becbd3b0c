// One incident: its place on the map and its timeline, appended live.
(() => {
  const sc = window.safecities;
  const root = document.getElementById('incident');
  const id = root.dataset.incidentId;
  const at = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const map = sc.createMap('map', at, 17);
  sc.incidentMap = map; // the responder page adds the officer's own position
  let marker = sc.incidentMarker({ latitude: at[0], longitude: at[1], status: root.dataset.status }).addTo(map);
  const timeline = document.getElementById('timeline');
  if (sc.foldTimeline) sc.foldTimeline(timeline);
  const data = id => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : []; };
  // What the modules did, when their sections are on the page: camera cones (Video) and raised lights (Lighting).
  if (sc.drawCameras) sc.drawCameras(map, data('incident-cameras-data'));
  if (window.safecitiesLighting) window.safecitiesLighting.drawIncidentLights(map);

  sc.connectIncidents({
    incidentChanged: incident => {
      if (incident.id !== id) return;
      document.getElementById('incident-title').textContent = incident.title;
      const status = document.getElementById('incident-status');
      status.textContent = incident.status;
      status.className = 'badge status-' + incident.status;
      document.getElementById('incident-rounds').textContent = `${incident.rounds} / ${incident.detections}`;
      // Buttons that no longer apply go away (the server refuses them anyway).
      if (incident.status !== 'open') document.querySelectorAll('button[formaction*="handler=Acknowledge"]').forEach(b => b.remove());
      if (incident.status === 'closed') document.querySelectorAll('button[formaction*="handler=Close"]').forEach(b => b.remove());
      marker.remove();
      marker = sc.incidentMarker(incident).addTo(map);
    },
    timelineAppended: entry => {
      if (entry.incidentId !== id || timeline.querySelector(`[data-entry-id="${entry.id}"]`)) return;
      const li = document.createElement('li');
      li.className = 'list-group-item';
      li.dataset.entryId = entry.id;
      li.dataset.module = entry.module;
      li.dataset.kind = entry.kind;
      const badge = Object.assign(document.createElement('span'), { className: 'badge text-bg-secondary me-1', textContent: entry.module });
      li.append(badge, sc.timeElement(entry.at), ` — ${entry.text}`);
      timeline.append(li);
      if (sc.foldTimeline) sc.foldTimeline(timeline);
      if (entry.module === 'Plates' && sc.refreshPlateReads) sc.refreshPlateReads();
    },
  });
})();
