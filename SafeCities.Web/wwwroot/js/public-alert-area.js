// Draws one public alert's area (circle or polygon) from the page's JSON block.
(() => {
  const area = JSON.parse(document.getElementById('alert-area').textContent);
  const map = safecities.createMap('area-map');
  const style = { color: '#dc3545', weight: 2, fillOpacity: 0.15 };
  const shape = area.polygon && area.polygon.length
    ? L.polygon(area.polygon.map(p => [p.latitude, p.longitude]), style)
    : L.circle([area.circleLatitude, area.circleLongitude], { ...style, radius: area.circleRadiusMeters });
  shape.addTo(map);
  map.fitBounds(shape.getBounds(), { maxZoom: 16, padding: [20, 20] });
})();
