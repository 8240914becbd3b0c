// The public report form: a pin on the map (tap) or the phone's position fills the hidden latitude/longitude fields.
(() => {
  const sc = window.safecities;
  const mapEl = document.getElementById('report-map');
  if (!mapEl || !sc) return;
  const lat = document.getElementById('Input_Latitude');
  const lon = document.getElementById('Input_Longitude');
  const text = document.getElementById('place-text');
  const map = sc.createMap('report-map');
  let marker = null;

  function place(la, lo, how) {
    const at = [Number(la.toFixed(6)), Number(lo.toFixed(6))];
    lat.value = String(at[0]);
    lon.value = String(at[1]);
    if (marker) marker.setLatLng(at);
    else marker = L.marker(at, { draggable: true, keyboard: true, title: 'Where it happened' }).addTo(map)
      .on('dragend', () => { const p = marker.getLatLng(); place(p.lat, p.lng, 'moved'); });
    text.textContent = `Place marked (${how}): ${at[0].toFixed(5)}, ${at[1].toFixed(5)}`;
  }

  map.on('click', e => place(e.latlng.lat, e.latlng.lng, 'on the map'));
  if (lat.value && lon.value && !Number.isNaN(parseFloat(lat.value))) {
    place(parseFloat(lat.value), parseFloat(lon.value), 'earlier');
    map.setView([parseFloat(lat.value), parseFloat(lon.value)], 16);
  }

  const button = document.getElementById('use-location');
  button.addEventListener('click', () => {
    if (!navigator.geolocation) { text.textContent = 'This device cannot share its location: tap the map instead.'; return; }
    text.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      p => { place(p.coords.latitude, p.coords.longitude, `your location, ±${Math.round(p.coords.accuracy)} m`); map.setView([p.coords.latitude, p.coords.longitude], 17); },
      () => { text.textContent = 'Your location is not available: tap the map instead.'; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
