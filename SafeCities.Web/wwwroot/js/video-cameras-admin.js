// /Video/Admin/Cameras: every camera with its cone (fixed) or reach (PTZ).
(() => {
  const cameras = JSON.parse(document.getElementById('camera-data').textContent);
  const map = window.safecities.createMap('map');
  const { bounds } = window.safecities.drawCameras(map, cameras);
  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
  window.safecities.cameraMap = map;
})();
