// Police districts: the boundaries on a map, and the GeoJSON import (read in the browser, sent whole; every problem listed).
(() => {
  const sc = window.safecities;
  const map = sc.createMap('map');
  const status = document.getElementById('district-status');
  const errors = document.getElementById('district-errors');

  sc.request('/api/v1/districts').then(r => r.ok ? r.json() : null).then(geo => {
    if (!geo || geo.features.length === 0) return;
    const layer = L.geoJSON(geo, { style: { color: '#0d6efd', weight: 2, fillOpacity: 0.08 } })
      .bindTooltip(l => `${l.feature.properties.name} (${l.feature.properties.code})`).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  });

  document.getElementById('district-form').addEventListener('submit', async e => {
    e.preventDefault();
    errors.replaceChildren();
    const file = document.getElementById('district-file').files[0];
    if (!file) { status.textContent = 'Choose a GeoJSON file first.'; return; }
    let geoJson;
    try { geoJson = JSON.parse(await file.text()); } catch (x) { status.textContent = `The file is not JSON: ${x.message}`; return; }
    status.textContent = 'Importing…';
    const response = await sc.request('/api/v1/districts', { method: 'PUT', json: {
      geoJson, codeProperty: document.getElementById('code-property').value, nameProperty: document.getElementById('name-property').value } });
    if (response.ok) {
      const result = await response.json();
      status.textContent = `${sc.plural(result.imported, 'district')} imported; reloading…`;
      location.reload();
      return;
    }
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    status.textContent = problem?.errors ? 'Nothing was changed. Fix these and import again:' : `Nothing was changed: ${problem?.detail || problem?.title || response.status}`;
    for (const message of Object.values(problem?.errors || {}).flat())
      errors.append(Object.assign(document.createElement('li'), { textContent: message }));
  });
})();
