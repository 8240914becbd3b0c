// "Share my position" (officers, commanders, administrators): opt-in, remembered on this device. While on, the phone's position
// goes to the server at most every 30 s (or sooner after moving 50 m) so hotlist hits near the officer reach them; switching it
// off deletes the position on the server at once.
(() => {
  const toggle = document.getElementById('share-position');
  const status = document.getElementById('position-status');
  if (!toggle) return;
  const key = 'safecities.sharePosition';
  const sc = window.safecities;
  let watch = null, last = null;
  const show = text => { status.textContent = text; };
  const send = (method, json) => sc.request('/api/v1/officers/me/position', { method, json });

  async function report(p) {
    const here = { latitude: p.coords.latitude, longitude: p.coords.longitude, accuracyMeters: Math.min(p.coords.accuracy || 0, 10000) };
    if (last && Date.now() - last.at < 30000 && sc.distanceMeters([last.latitude, last.longitude], [here.latitude, here.longitude]) < 50) return;
    last = { ...here, at: Date.now() };
    try {
      const r = await send('PUT', here);
      await r.text(); // read the answer to the end: an unread body keeps the request open (and the page never idle)
      show(r.ok ? `shared ${window.safecities.timeText(new Date().toISOString(), 'minutes')}` : `not shared (${r.status})`);
      toggle.closest('.form-check').dataset.shared = r.ok ? 'yes' : 'no';
    } catch { show('offline'); }
  }

  function start() {
    if (!navigator.geolocation) { show('no location on this device'); toggle.checked = false; return; }
    show('locating…');
    watch = navigator.geolocation.watchPosition(report, () => show('location refused'), { enableHighAccuracy: true, maximumAge: 15000 });
  }

  async function stop() {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    watch = null; last = null;
    try { await send('DELETE'); show('off'); } catch { show('offline'); }
    toggle.closest('.form-check').dataset.shared = 'no';
  }

  toggle.checked = localStorage.getItem(key) === '1';
  if (toggle.checked) start();
  toggle.addEventListener('change', () => {
    localStorage.setItem(key, toggle.checked ? '1' : '0');
    if (toggle.checked) start(); else stop();
  });
})();
