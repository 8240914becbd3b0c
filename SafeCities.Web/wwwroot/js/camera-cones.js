// Draws cameras on a Leaflet map: a fixed camera's field-of-view cone, a PTZ's reach (a circle, or the sector of its pan
// range), and — for an incident's cameras — the line from each camera along its bearing to the incident.
// Input: the camelCase JSON of CameraDto or IncidentCameraDto. Needs site.js (window.safecities) and Leaflet first.
(() => {
  const colors = { fixed: '#6f42c1', ptz: '#0dcaf0' };
  const statusColors = { ok: '#198754', failed: '#dc3545', 'out-of-pan-range': '#adb5bd', 'over-limit': '#adb5bd' };

  const offset = window.safecities.offset;

  // The camera position plus an arc clockwise from `from` over `width` degrees.
  function sector(c, from, width, meters) {
    const points = [[c.latitude, c.longitude]];
    const steps = Math.max(8, Math.ceil(width / 5));
    for (let i = 0; i <= steps; i++) points.push(offset(c.latitude, c.longitude, meters, from + width * i / steps));
    return points;
  }

  function label(c) {
    const parts = [c.name, c.type];
    if (c.distanceMeters != null) parts.push(`${Math.round(c.distanceMeters)} m`);
    if (c.status) parts.push(c.status);
    return window.safecities.textNode(parts.join(' · '));
  }

  function drawCameras(map, cameras) {
    const layer = L.layerGroup().addTo(map);
    const bounds = [];
    for (const c of cameras || []) {
      const color = colors[c.type] || colors.fixed;
      const range = c.rangeMeters || 100;
      if (c.type === 'ptz') {
        const hasPan = c.panMinDegrees != null && c.panMaxDegrees != null;
        const width = hasPan ? (((c.panMaxDegrees - c.panMinDegrees) % 360) + 360) % 360 || 360 : 360;
        const shape = width >= 360
          ? L.circle([c.latitude, c.longitude], { radius: range, color, weight: 1, fillOpacity: 0.08, dashArray: '4 4' })
          : L.polygon(sector(c, c.panMinDegrees, width, range), { color, weight: 1, fillOpacity: 0.08, dashArray: '4 4' });
        shape.addTo(layer);
      } else if (c.headingDegrees != null && c.fieldOfViewDegrees) {
        L.polygon(sector(c, c.headingDegrees - c.fieldOfViewDegrees / 2, c.fieldOfViewDegrees, range),
          { color, weight: 1, fillOpacity: 0.15 }).addTo(layer);
      }
      if (c.bearingDegrees != null && c.distanceMeters != null) {
        L.polyline([[c.latitude, c.longitude], offset(c.latitude, c.longitude, c.distanceMeters, c.bearingDegrees)],
          { color: statusColors[c.status] || color, weight: 2, dashArray: c.status === 'ok' ? null : '6 6' }).addTo(layer);
      }
      L.circleMarker([c.latitude, c.longitude], { radius: 6, weight: 1, color: '#000', fillOpacity: 0.95, fillColor: color })
        .bindTooltip(label(c)).addTo(layer);
      bounds.push([c.latitude, c.longitude]);
    }
    return { layer, bounds };
  }

  window.safecities.drawCameras = drawCameras;
})();
