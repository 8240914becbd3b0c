// Person page: where their vehicles were read (blue, joined in time order per plate) and the incidents near them (by status colour).
(() => {
  const data = document.getElementById('person-map-data');
  if (!data || !document.getElementById('person-map')) return;
  const sc = window.safecities;
  const { sightings, incidents } = JSON.parse(data.textContent);
  const map = sc.createMap('person-map');
  const when = iso => `${iso.replace('T', ' ').slice(0, 16)} UTC`;
  const bounds = [];
  const byPlate = new Map();
  for (const s of sightings) (byPlate.get(s.plate) ?? byPlate.set(s.plate, []).get(s.plate)).push(s);
  for (const [plate, reads] of byPlate) {
    reads.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    if (reads.length > 1) L.polyline(reads.map(s => [s.latitude, s.longitude]), { color: '#0d6efd', weight: 2, opacity: 0.5 }).addTo(map);
    for (const s of reads) {
      L.circleMarker([s.latitude, s.longitude], { radius: 6, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: '#0d6efd' })
        .bindTooltip(window.safecities.textNode(`${plate} at ${s.readerName} ${when(s.capturedAt)}`)).addTo(map);
      bounds.push([s.latitude, s.longitude]);
    }
  }
  for (const i of incidents) {
    const link = Object.assign(document.createElement('a'), { href: `/Alerts/Incidents/Details/${i.id}`, textContent: `${i.title}, ${when(i.openedAt)}` });
    sc.incidentMarker(i).bindPopup(link).addTo(map);
    bounds.push([i.latitude, i.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
})();
