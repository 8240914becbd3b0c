// Co-location: recent incidents on the map; clicking one adds (or removes) its place and time as a line of the Places box, which stays the one
// source of truth (typing "lat, lon, yyyy-MM-dd HH:mm" works as well). Every valid line is drawn as a numbered circle of the chosen radius;
// after a search, the sightings of the top vehicles are drawn too (one colour per plate, joined in time order).
(() => {
  const mapElement = document.getElementById('coloc-map');
  const textarea = document.getElementById('Places');
  const radiusInput = document.getElementById('RadiusMeters');
  if (!mapElement || !textarea || !window.L) return;
  const sc = window.safecities;
  const incidents = JSON.parse(document.getElementById('coloc-incidents')?.textContent || '[]');
  const map = sc.createMap('coloc-map');
  const count = document.getElementById('places-count');
  const placesLayer = L.layerGroup().addTo(map);
  // The line an incident adds: its place and the minute it opened, in the city's time (as the box says).
  const lineOf = i => {
    const t = sc.cityTime(i.openedAt);
    return `${i.latitude.toFixed(5)}, ${i.longitude.toFixed(5)}, ${t.date} ${t.minutes}`;
  };
  const lines = () => textarea.value.split('\n').map(l => l.trim()).filter(Boolean);
  const parse = line => {
    const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(.+)$/.exec(line);
    if (!m) return null;
    const lat = parseFloat(m[1]), lon = parseFloat(m[2]);
    return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon, at: m[3] } : null;
  };

  const markers = new Map();
  function draw() {
    placesLayer.clearLayers();
    const radius = Math.max(10, Math.min(5000, parseInt(radiusInput?.value, 10) || 300));
    const all = lines();
    let valid = 0;
    all.forEach((line, index) => {
      const p = parse(line);
      if (!p) return;
      valid++;
      L.circle([p.lat, p.lon], { radius, color: '#0d6efd', weight: 2, fillOpacity: 0.12, interactive: false }).addTo(placesLayer);
      L.marker([p.lat, p.lon], {
        icon: L.divIcon({ className: 'coloc-place-label', html: sc.textNode(`#${index + 1}`), iconSize: [24, 24], iconAnchor: [12, 34] }),
        interactive: false, keyboard: false,
      }).addTo(placesLayer);
    });
    const picked = new Set(all);
    for (const [line, marker] of markers) marker.setStyle({ weight: picked.has(line) ? 4 : 2, color: picked.has(line) ? '#0d6efd' : '#fff' });
    if (count) count.textContent = `${valid} place${valid === 1 ? '' : 's'}` + (all.length > valid ? `, ${all.length - valid} line(s) not understood` : '');
    mapElement.dataset.places = String(valid);
  }

  const bounds = [];
  for (const i of [...incidents].reverse()) {   // the newest drawn last, on top
    const line = lineOf(i);
    const marker = sc.incidentMarker(i).addTo(map);
    marker.bindTooltip(sc.textNode(`${i.title}, ${sc.timeText(i.openedAt, 'datetime')} — click to add or remove`));
    marker.on('click', () => {
      const all = lines();
      textarea.value = (all.includes(line) ? all.filter(l => l !== line) : [...all, line]).join('\n');
      draw();
    });
    marker.getElement?.()?.setAttribute('data-incident-id', i.id);
    markers.set(line, marker);
    bounds.push([i.latitude, i.longitude]);
  }
  mapElement.dataset.incidents = String(incidents.length);

  // After a search: the sightings of the top vehicles.
  const sightings = JSON.parse(document.getElementById('sighting-points')?.textContent || '[]');
  const colours = ['#d63384', '#198754', '#fd7e14', '#6f42c1', '#20c997', '#dc3545', '#0dcaf0'];
  const byPlate = new Map();
  for (const s of sightings) (byPlate.get(s.plate) ?? byPlate.set(s.plate, []).get(s.plate)).push(s);
  [...byPlate.entries()].forEach(([plate, reads], k) => {
    const colour = colours[k % colours.length];
    reads.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    if (reads.length > 1) L.polyline(reads.map(s => [s.latitude, s.longitude]), { color: colour, weight: 2, opacity: 0.6 }).addTo(map);
    for (const s of reads) {
      L.circleMarker([s.latitude, s.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colour })
        .bindTooltip(sc.textNode(`${plate} at ${s.readerName} ${sc.timeText(s.capturedAt, 'datetime')}`)).addTo(map);
      bounds.push([s.latitude, s.longitude]);
    }
  });

  textarea.addEventListener('input', draw);
  radiusInput?.addEventListener('input', draw);
  draw();
  for (const line of lines()) {
    const p = parse(line);
    if (p) bounds.push([p.lat, p.lon]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
