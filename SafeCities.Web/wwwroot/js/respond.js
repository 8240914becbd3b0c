// Responder page: the officer's own position on the map and the distance (the position stays on the phone unless the menu's
// "Share my position" is on) and the officer's status buttons (acknowledged / en route / on scene, recorded for command staff). The
// responders line follows the timeline's Responders entries as the incident page's sections do (incident-detail.js).
(() => {
  const sc = window.safecities;
  const root = document.getElementById('incident');
  const id = root.dataset.incidentId;
  // Where the incident is: read again at every use, since a correction moves it while the page is open (incident-detail.js).
  const target = () => [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const labels = { acknowledged: 'acknowledged', 'en-route': 'en route', 'on-scene': 'on scene' };

  // Status buttons, while the incident is not closed (a closing or reopening elsewhere reaches #incident's data: incident-detail.js).
  const panel = document.getElementById('responder-status-panel');
  new MutationObserver(() => { panel.hidden = root.dataset.status === 'closed'; }).observe(root, { attributes: true, attributeFilter: ['data-status'] });
  const actions = document.getElementById('responder-actions');
  const mine = document.getElementById('my-status');
  if (actions) {
    const mark = status => {
      actions.dataset.myStatus = status;
      for (const b of actions.querySelectorAll('button[data-status]')) b.setAttribute('aria-pressed', b.dataset.status === status ? 'true' : 'false');
    };
    actions.addEventListener('click', async e => {
      const button = e.target.closest('button[data-status]');
      if (!button) return;
      button.disabled = true;
      try {
        const r = await sc.request(`/api/v1/incidents/${encodeURIComponent(id)}/responders/me`, { method: 'POST', json: { status: button.dataset.status } });
        if (r.ok) {
          const s = await r.json();
          mark(s.status);
          mine.replaceChildren(document.createTextNode(`You: ${labels[s.status] || s.status} at `), sc.timeElement(s.at));
        } else {
          mine.textContent = await sc.problemText(r);
        }
      } catch (err) {
        mine.textContent = `Not sent (offline): ${err.message}`;
      } finally {
        button.disabled = false;
      }
    });
  }

  // Own position; the distance follows the officer and the incident alike.
  const out = () => document.getElementById('distance');
  if (!navigator.geolocation) { out().textContent = 'distance: no location on this device'; return; }
  let me = null, here = null, fitted = false;
  function showDistance() {
    if (!here) return;
    const d = sc.distanceMeters(here, target());
    out().textContent = d < 1000 ? `${Math.round(d)} m away` : `${(d / 1000).toFixed(1)} km away`;
  }
  // Both in view: the officer and the incident (again when a correction moves the incident).
  const fit = () => { if (here && sc.incidentMap) sc.incidentMap.fitBounds([here, target()], { padding: [30, 30], maxZoom: 17, animate: false }); };
  new MutationObserver(() => { showDistance(); fit(); }).observe(root, { attributes: true, attributeFilter: ['data-lat', 'data-lon'] });
  navigator.geolocation.watchPosition(
    p => {
      here = [p.coords.latitude, p.coords.longitude];
      showDistance();
      const map = sc.incidentMap;
      if (!map) return;
      if (!me) {
        me = L.circleMarker(here, { radius: 8, weight: 3, color: '#fff', fillColor: '#0d6efd', fillOpacity: 1, className: 'my-position' })
          .bindTooltip(sc.textNode('You')).addTo(map);
      } else {
        me.setLatLng(here);
      }
      root.dataset.myPosition = `${here[0].toFixed(5)},${here[1].toFixed(5)}`;
      if (!fitted) { fit(); fitted = true; }
    },
    () => { out().textContent = 'distance: location not shared'; },
    { enableHighAccuracy: true, maximumAge: 10000 });
})();
