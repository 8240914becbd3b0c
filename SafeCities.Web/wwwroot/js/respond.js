// Responder page: how far the officer is from the incident (the phone's position never leaves the phone).
(() => {
  const root = document.getElementById('incident');
  const target = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const out = document.getElementById('distance');
  const meters = (a, b) => {
    const rad = d => d * Math.PI / 180, r = 6371008.8;
    const h = Math.sin(rad(b[0] - a[0]) / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
    return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
  };
  if (!navigator.geolocation) { out.textContent = 'distance: no location on this device'; return; }
  navigator.geolocation.watchPosition(
    p => {
      const d = meters([p.coords.latitude, p.coords.longitude], target);
      out.textContent = d < 1000 ? `${Math.round(d)} m away` : `${(d / 1000).toFixed(1)} km away`;
    },
    () => { out.textContent = 'distance: location not shared'; },
    { enableHighAccuracy: true, maximumAge: 10000 });
})();
