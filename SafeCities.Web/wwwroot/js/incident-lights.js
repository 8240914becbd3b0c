// Draws the lights of an incident (from the IncidentLighting view component's #incident-lights-data) on a Leaflet map.
// window.safecitiesLighting.drawIncidentLights(map) can be called by any page that has a map and the component.
window.safecitiesLighting = (() => {
  const colors = { raised: '#ffc107', restored: '#6c757d', failed: '#dc3545', 'restore-failed': '#dc3545' };
  function drawIncidentLights(map) {
    const data = document.getElementById('incident-lights-data');
    const lights = data ? JSON.parse(data.textContent) : [];
    const layer = L.layerGroup().addTo(map);
    for (const l of lights) {
      L.circleMarker([l.latitude, l.longitude], { radius: 6, weight: 1, color: '#000', fillOpacity: 0.9, fillColor: colors[l.state] || '#fff' })
        .bindTooltip(window.safecities.textNode(`${l.name}: ${l.state}, ${l.level} %`)).addTo(layer);
    }
    return { layer, lights };
  }
  return { drawIncidentLights };
})();

(() => {
  if (!document.querySelector('#map[data-lighting-map]')) return; // only on /Lighting/Incidents/Details; other pages call drawIncidentLights
  const map = window.safecities.createMap('map');
  const { lights } = window.safecitiesLighting.drawIncidentLights(map);
  if (lights.length) map.fitBounds(lights.map(l => [l.latitude, l.longitude]), { padding: [30, 30], maxZoom: 18 });
})();
