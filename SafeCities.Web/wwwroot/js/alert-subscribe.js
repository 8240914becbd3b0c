// Signing up for public alerts: a place and a distance (tap the map or use the phone's position; the circle shows the area) or a drawn area
// (tap each corner; undo, clear). The form's hidden fields hold the truth; the map draws them. The address field follows the channel.
(() => {
  const sc = window.safecities;
  const $ = id => document.getElementById(id);
  if (!$('subscribe-map') || !sc) return;
  const lat = $('Input_Latitude'), lon = $('Input_Longitude'), radius = $('Input_RadiusMeters'), pointsField = $('Input_PolygonPoints');
  const help = $('area-help');
  const map = sc.createMap('subscribe-map');
  const style = { color: '#0d6efd', weight: 2, fillOpacity: 0.15 };
  const round = v => Math.round(v * 1e6) / 1e6;
  let shape = null, marker = null;
  let corners = (pointsField.value || '').split(' ').filter(Boolean).map(p => p.split(',').map(Number)).filter(p => p.length === 2 && p.every(Number.isFinite));
  const kind = () => (document.querySelector('input[name="Input.AreaKind"]:checked') || {}).value || 'point';

  function draw(fit) {
    if (shape) { map.removeLayer(shape); shape = null; }
    if (marker) { map.removeLayer(marker); marker = null; }
    const point = kind() === 'point';
    $('point-fields').classList.toggle('d-none', !point);
    $('polygon-fields').classList.toggle('d-none', point);
    if (point) {
      const c = [parseFloat(lat.value), parseFloat(lon.value)], r = parseFloat(radius.value);
      if (c.every(Number.isFinite)) {
        marker = L.circleMarker(c, { radius: 6, color: '#0d6efd', fillOpacity: 1 }).addTo(map);
        shape = L.circle(c, { ...style, radius: r }).addTo(map);
        help.textContent = `Alerts within ${r >= 1000 ? `${r / 1000} km` : `${r} m`} of ${c[0].toFixed(5)}, ${c[1].toFixed(5)}. Tap elsewhere to move it.`;
      } else help.textContent = 'Tap the map to place the centre, or use your location.';
    } else {
      pointsField.value = corners.map(p => `${round(p[0])},${round(p[1])}`).join(' ');
      $('polygon-count').textContent = `${corners.length} corner${corners.length === 1 ? '' : 's'}`;
      if (corners.length >= 3) shape = L.polygon(corners, style).addTo(map);
      else if (corners.length > 0) shape = L.polyline(corners, { ...style, dashArray: '4 4' }).addTo(map);
      help.textContent = corners.length >= 3 ? 'Area drawn. Tap to add more corners.' : 'Tap the map to add each corner (at least 3).';
    }
    if (fit && shape) map.fitBounds(shape.getBounds(), { maxZoom: 16, padding: [20, 20] });
  }

  // Places kept before the one being marked (home, work …): drawn in grey, listed with a remove button; the hidden field holds them as
  // "lat,lon,radius" or "lat,lon lat,lon …", separated by ";". The one being marked is sent as well.
  const moreField = $('Input_MoreAreas'), moreList = $('more-areas-list'), addButton = $('area-add');
  const maxPlaces = parseInt(moreList.dataset.max, 10) || 1;
  const kept = L.layerGroup().addTo(map);
  let more = (moreField.value || '').split(';').map(t => t.trim()).filter(Boolean);
  const placeShape = text => {
    const grey = { color: '#6c757d', weight: 2, fillOpacity: 0.1 };
    if (text.includes(' ')) return L.polygon(text.split(' ').map(p => p.split(',').map(Number)), grey);
    const [a, b, r] = text.split(',').map(Number);
    return L.circle([a, b], { ...grey, radius: r });
  };
  function drawKept() {
    kept.clearLayers();
    moreList.replaceChildren();
    more.forEach((text, i) => {
      placeShape(text).addTo(kept);
      const item = document.createElement('li');
      item.className = 'd-flex align-items-center gap-2 mb-1';
      const label = document.createElement('span');
      label.textContent = text.includes(' ') ? `Place ${i + 1}: a drawn area (${text.split(' ').length} corners)` : `Place ${i + 1}: within ${text.split(',')[2]} m of ${text.split(',').slice(0, 2).join(', ')}`;
      const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'btn btn-link btn-sm p-0', textContent: 'Remove' });
      remove.addEventListener('click', () => { more.splice(i, 1); drawKept(); });
      item.append(label, remove);
      moreList.append(item);
    });
    moreField.value = more.join(';');
    addButton.disabled = more.length >= maxPlaces - 1;
  }
  addButton.addEventListener('click', () => {
    let text = null;
    if (kind() === 'point' && lat.value && lon.value) { text = `${lat.value},${lon.value},${radius.value}`; lat.value = ''; lon.value = ''; }
    else if (kind() === 'polygon' && corners.length >= 3) { text = pointsField.value; corners = []; }
    if (!text) { help.textContent = 'Mark a place on the map first, then keep it.'; return; }
    more.push(text);
    drawKept();
    draw(false);
    help.textContent = `Kept. Mark the next place, or sign up (${more.length} kept).`;
  });

  map.on('click', e => {
    if (kind() === 'point') { lat.value = round(e.latlng.lat); lon.value = round(e.latlng.lng); }
    else corners.push([round(e.latlng.lat), round(e.latlng.lng)]);
    draw(false);
  });
  radius.addEventListener('change', () => draw(true));
  for (const radio of document.querySelectorAll('input[name="Input.AreaKind"]')) radio.addEventListener('change', () => draw(true));
  $('polygon-undo').addEventListener('click', () => { corners.pop(); draw(false); });
  $('polygon-clear').addEventListener('click', () => { corners = []; draw(false); });
  $('use-location').addEventListener('click', () => {
    if (!navigator.geolocation) { help.textContent = 'This device cannot share its location: tap the map instead.'; return; }
    help.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      p => { lat.value = round(p.coords.latitude); lon.value = round(p.coords.longitude); draw(true); },
      () => { help.textContent = 'Your location is not available: tap the map instead.'; },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });

  // The address field: an e-mail address or a mobile number, as the channel wants.
  const address = $('Input_Address');
  function channel() {
    const sms = ((document.querySelector('input[name="Input.Channel"]:checked') || {}).value) === 'sms';
    $('address-label').textContent = sms ? 'Mobile number' : 'E-mail address';
    $('address-help').textContent = sms ? 'In international form, such as +12025550123.' : 'Such as name@example.org.';
    address.type = sms ? 'tel' : 'email';
    address.autocomplete = sms ? 'tel' : 'email';
  }
  for (const radio of document.querySelectorAll('input[name="Input.Channel"]')) radio.addEventListener('change', channel);
  channel();
  drawKept();
  draw(true);
})();
