// /Video/Incidents/Cameras/{id}: the incident and the cameras of its reaction (cones, reach, bearing lines).
(() => {
  const sc = window.safecities;
  const root = document.getElementById('incident-cameras-map');
  const at = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  const data = document.getElementById('incident-cameras-data');
  const cameras = data ? JSON.parse(data.textContent) : [];
  const map = sc.createMap('incident-cameras-map', at, 17);
  const { bounds } = sc.drawCameras(map, cameras);
  sc.incidentMarker({ latitude: at[0], longitude: at[1], status: 'open' }).addTo(map);
  if (bounds.length) map.fitBounds([...bounds, at], { padding: [30, 30], maxZoom: 18 });
  sc.cameraMap = map;
})();
