// Plate search / co-location results: every sighting on the map, one line per vehicle joining its sightings in time order.
(() => {
  const data = document.getElementById('sighting-points');
  if (!data || !document.getElementById('map')) return;
  const points = JSON.parse(data.textContent);
  const map = window.safecities.createMap('map');
  const colours = ['#d63384', '#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#20c997', '#dc3545'];
  const byPlate = new Map();
  for (const p of points) (byPlate.get(p.plate) ?? byPlate.set(p.plate, []).get(p.plate)).push(p);
  const bounds = [];
  [...byPlate.entries()].forEach(([plate, sightings], i) => {
    const colour = colours[i % colours.length];
    sightings.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    if (sightings.length > 1) L.polyline(sightings.map(s => [s.latitude, s.longitude]), { color: colour, weight: 2, opacity: 0.6 }).addTo(map);
    for (const s of sightings) {
      L.circleMarker([s.latitude, s.longitude], { radius: 6, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colour })
        .bindTooltip(window.safecities.textNode(`${plate} at ${s.readerName} ${window.safecities.timeText(s.capturedAt, 'datetime')}`))
        .addTo(map);
      bounds.push([s.latitude, s.longitude]);
    }
  });
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
