// Streetlight registry: the map, and the CSV import that posts the file in chunks with a progress bar and a per-line report.
(() => {
  const sc = window.safecities;
  const colors = { normal: '#ffc107', raised: '#ffffff', faulty: '#dc3545' };
  const points = JSON.parse(document.getElementById('streetlight-points').textContent);
  const map = sc.createMap('map');
  const bounds = [];
  for (const p of points) {
    const s = p.settings || {};
    L.circleMarker([p.latitude, p.longitude], { radius: 5, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colors[s.state] || colors.normal })
      .bindTooltip(sc.textNode(`${p.name} — ${s.currentLevel ?? '?'} % (${s.state || 'normal'})`)).addTo(map);
    bounds.push([p.latitude, p.longitude]);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });

  sc.csvImport({
    url: () => '/api/v1/lighting/streetlights/import',
    summary: (t, rejected) => `Imported ${sc.plural(t.imported || 0, 'light')}; ${sc.plural(rejected, 'line')} rejected`,
    done: (t, status) => {
      if (t.imported > 0)
        status.append(Object.assign(document.createElement('a'), { href: location.pathname, textContent: ' Show them on the map.' }));
    },
  });
})();
