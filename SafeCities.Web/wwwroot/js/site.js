// Shared helpers for SafeCities pages: the map and the live incident connection.
window.safecities = (() => {
  const body = document.body.dataset;
  const statusColors = { open: '#dc3545', acknowledged: '#fd7e14', closed: '#6c757d' };

  function createMap(elementId, center, zoom) {
    const map = L.map(elementId).setView(center || [parseFloat(body.mapLat), parseFloat(body.mapLon)], zoom || parseInt(body.mapZoom, 10));
    if (body.tileUrl) {
      L.tileLayer(body.tileUrl, { maxZoom: 19, attribution: body.tileAttribution || '' }).addTo(map);
    }
    return map;
  }

  function incidentMarker(incident) {
    return L.circleMarker([incident.latitude, incident.longitude], {
      radius: 10, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: statusColors[incident.status] || '#0d6efd',
    });
  }

  // Connects to /hubs/incidents, keeps the status badge honest, reconnects by itself.
  async function connectIncidents(handlers) {
    const badge = document.getElementById('hub-status');
    const show = (text, cls) => { if (badge) { badge.textContent = text; badge.className = 'badge ' + cls; } };
    const connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/incidents')
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
      .build();
    if (handlers.incidentChanged) connection.on('IncidentChanged', handlers.incidentChanged);
    if (handlers.timelineAppended) connection.on('TimelineAppended', handlers.timelineAppended);
    connection.onreconnecting(() => show('reconnecting…', 'text-bg-warning'));
    connection.onreconnected(() => { show('live', 'text-bg-success'); if (handlers.reconnected) handlers.reconnected(); });
    connection.onclose(() => show('offline', 'text-bg-danger'));
    for (;;) {
      try {
        await connection.start();
        show('live', 'text-bg-success');
        return connection;
      } catch (e) {
        show('offline — retrying', 'text-bg-danger');
        await new Promise(r => setTimeout(r, 3000));
      }
    }
  }

  function antiforgeryToken() {
    const input = document.querySelector('input[name="__RequestVerificationToken"]');
    return input ? input.value : '';
  }

  function timeText(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  return { createMap, incidentMarker, connectIncidents, antiforgeryToken, timeText, statusColors };
})();
