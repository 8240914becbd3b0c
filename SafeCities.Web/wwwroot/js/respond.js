// Responder page: the officer's own position on the map and the distance (the position stays on the phone unless the menu's
// "Share my position" is on), the officer's status buttons (acknowledged / en route / on scene, recorded for command staff), and the
// responders line kept current from the live timeline.
(() => {
  const sc = window.safecities;
  const root = document.getElementById('incident');
  const id = root.dataset.incidentId;
  const target = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const out = document.getElementById('distance');
  const labels = { acknowledged: 'acknowledged', 'en-route': 'en route', 'on-scene': 'on scene' };

  // Status buttons.
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

  // Responders line: a "Responders" timeline entry ("user: en route") replaces that officer's badge.
  const responders = document.getElementById('incident-responders');
  const timeline = document.getElementById('timeline');
  if (responders && timeline) {
    new MutationObserver(records => {
      for (const rec of records)
        for (const li of rec.addedNodes) {
          if (!(li instanceof HTMLElement) || li.dataset.module !== 'Responders') continue;
          const status = (li.dataset.kind || '').replace(/^responder:/, '');
          const text = li.textContent;
          const user = text.slice(text.indexOf(' — ') + 3).split(': ')[0];
          for (const old of responders.querySelectorAll('.responder')) if (old.dataset.user === user) old.remove();
          for (const none of responders.querySelectorAll('.text-secondary:not(:first-child)')) none.remove();
          const badge = Object.assign(document.createElement('span'), { className: 'badge text-bg-info me-1 responder', textContent: `${user} ${labels[status] || status} ` });
          badge.dataset.user = user;
          badge.dataset.status = status;
          const time = li.querySelector('time');
          if (time) badge.append(time.cloneNode(true));
          responders.append(badge);
        }
    }).observe(timeline, { childList: true });
  }

  // Own position.
  if (!navigator.geolocation) { out.textContent = 'distance: no location on this device'; return; }
  let me = null, fitted = false;
  navigator.geolocation.watchPosition(
    p => {
      const here = [p.coords.latitude, p.coords.longitude];
      const d = sc.distanceMeters(here, target);
      out.textContent = d < 1000 ? `${Math.round(d)} m away` : `${(d / 1000).toFixed(1)} km away`;
      const map = sc.incidentMap;
      if (!map) return;
      if (!me) {
        me = L.circleMarker(here, { radius: 8, weight: 3, color: '#fff', fillColor: '#0d6efd', fillOpacity: 1, className: 'my-position' })
          .bindTooltip(sc.textNode('You')).addTo(map);
      } else {
        me.setLatLng(here);
      }
      root.dataset.myPosition = `${here[0].toFixed(5)},${here[1].toFixed(5)}`;
      if (!fitted) { map.fitBounds([here, target], { padding: [30, 30], maxZoom: 17 }); fitted = true; }
    },
    () => { out.textContent = 'distance: location not shared'; },
    { enableHighAccuracy: true, maximumAge: 10000 });
})();
