// Responder page: how far the officer is from the incident (the phone's position never leaves the phone).
(() => {
  const root = document.getElementById('incident');
  const target = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const out = document.getElementById('distance');
  if (!navigator.geolocation) { out.textContent = 'distance: no location on this device'; return; }
  navigator.geolocation.watchPosition(
    p => {
      const d = window.safecities.distanceMeters([p.coords.latitude, p.coords.longitude], target);
      out.textContent = d < 1000 ? `${Math.round(d)} m away` : `${(d / 1000).toFixed(1)} km away`;
    },
    () => { out.textContent = 'distance: location not shared'; },
    { enableHighAccuracy: true, maximumAge: 10000 });
})();
