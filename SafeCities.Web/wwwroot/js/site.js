// Shared helpers for SafeCities pages: the map and the live incident connection.
window.safecities = (() => {
  const body = document.body.dataset;
  const statusColors = { open: '#dc3545', acknowledged: '#fd7e14', closed: '#6c757d' };

  // The signed-in person's antiforgery token, from the layout's <meta name="request-verification-token">. The server refuses any change
  // made with the sign-in cookie that does not carry it, so every request of the pages goes through request() below.
  const tokenHeader = 'RequestVerificationToken';
  function antiforgeryToken() {
    const meta = document.querySelector('meta[name="request-verification-token"]');
    return meta ? meta.content : '';
  }

  // The one way the pages call the app's API and page handlers: same-origin cookies, JSON accepted, the antiforgery header on every method that
  // changes something, and `json` (if given) sent as the JSON body.
  function request(url, { method = 'GET', headers = {}, json, ...options } = {}) {
    const all = { Accept: 'application/json', ...headers };
    if (!['GET', 'HEAD'].includes(method.toUpperCase())) all[tokenHeader] = antiforgeryToken();
    if (json !== undefined) { all['Content-Type'] = 'application/json'; options.body = JSON.stringify(json); }
    return fetch(url, { ...options, method, headers: all, credentials: 'same-origin' });
  }

  function createMap(elementId, center, zoom) {
    const map = L.map(elementId).setView(center || [parseFloat(body.mapLat), parseFloat(body.mapLon)], zoom || parseInt(body.mapZoom, 10));
    if (body.tileUrl) {
      L.tileLayer(body.tileUrl, { maxZoom: 19, attribution: body.tileAttribution || '' }).addTo(map);
    } else {
      streetMap(map);
      districtOutlines(map);
    }
    return map;
  }

  // Without a tile server, the police districts' outlines too, dashed under everything, each with its name in the middle of its part in
  // view while zoomed out (below the streets' names' zoom): what one finds one's way by at the city's scale, where the streets are not
  // drawn. Fetched once a page.
  let outlines = null;
  function districtOutlines(map) {
    const nameZoom = 15;
    outlines ??= request('/api/v1/districts/outlines').then(r => r.ok ? r.json() : null).catch(() => null);
    outlines.then(geo => {
      if (!geo) return;
      const districts = [];
      L.geoJSON(geo, { pane: 'streets', interactive: false, style: { color: '#6c757d', weight: 1.5, dashArray: '6 4', fill: false, className: 'district-outline' } })
        .eachLayer(l => districts.push({ bounds: l.getBounds(), label: L.tooltip({ permanent: true, direction: 'center', className: 'district-label',
          pane: 'street-labels', interactive: false }).setContent(textNode(l.feature.properties.name)) }))
        .addTo(map);
      // A name that would cover another, a marker or a marker's label, or cross the map's edge, is left out at that view, as a street's is:
      // the names are the map's background. Placed after the markers' labels (`labelsarranged`, from labelsApart).
      const place = () => {
        const view = map.getBounds(), edge = map.getContainer().getBoundingClientRect();
        // (Markers drawn as paths are the small clickable shapes; an area — a district being edited, a public alert's zone — is not one.)
        const taken = [...controlBoxes(map), ...[...map.getPane('overlayPane').querySelectorAll('.leaflet-interactive')].map(e => e.getBoundingClientRect()).filter(b => b.width <= 48 && b.height <= 48),
          ...[...map.getPane('markerPane').children, ...[...map.getPane('tooltipPane').children].filter(t => !t.classList.contains('crowded'))].map(e => e.getBoundingClientRect())];
        for (const { bounds, label } of districts) {
          if (map.getZoom() >= nameZoom || !bounds.intersects(view)) { map.removeLayer(label); continue; }
          const part = L.latLngBounds([Math.max(bounds.getSouth(), view.getSouth()), Math.max(bounds.getWest(), view.getWest())],
            [Math.min(bounds.getNorth(), view.getNorth()), Math.min(bounds.getEast(), view.getEast())]);
          const element = label.setLatLng(part.getCenter()).addTo(map).getElement(), box = element.getBoundingClientRect();
          const clear = inside(box, edge) && !taken.some(t => overlap(box, t));
          element.classList.toggle('crowded', !clear);
          if (clear) taken.push(box);
        }
      };
      map.on('moveend', () => requestAnimationFrame(place));
      map.on('labelsarranged', place);
      place();
    });
  }

  // Without a tile server (an air-gapped police network), the city's own streets: drawn through its address points by the server
  // (/api/v1/addresses/streets, ADR 0066) for the view and a margin around it, from zoom 14; names and places from zoom 16. Under
  // everything else on the map (panes below the overlays), and never clickable.
  function streetMap(map) {
    const minZoom = 14, labelZoom = 16, maxSpan = 0.25;
    map.createPane('streets').style.zIndex = 250;
    map.createPane('street-labels').style.zIndex = 350;
    const renderer = L.svg({ pane: 'streets' });
    const lines = L.layerGroup().addTo(map), labels = L.layerGroup();
    let loaded = null;
    // Thin at a district's scale, a street's width when zoomed in.
    const weight = () => ({ 14: 1.5, 15: 2.5 })[map.getZoom()] || 4;
    const show = () => {
      const zoom = map.getZoom();
      if (zoom < minZoom) { map.removeLayer(lines); map.removeLayer(labels); return; }
      lines.eachLayer(l => l.setStyle({ weight: weight() }));
      lines.addTo(map);
      if (zoom >= labelZoom) { labels.addTo(map); declutter(); } else map.removeLayer(labels);
    };
    // Names in view, along their streets and never drawn over each other: a street's name goes on the part of it inside the view (the middle of
    // the longest such part first, then further out along it, then the other parts), turned along that part (read left to right, or upwards),
    // at the first spot clear of the names already placed — short streets first, which have the fewest spots, the named places last — and is
    // left out where none is clear. Again after every move (pan or zoom).
    let names = [];
    const declutter = () => {
      const size = map.getSize(), taken = [];
      for (const name of names) {
        const element = name.label.getElement();
        if (!element) continue;
        const spot = spots(name.points.map(at => map.latLngToContainerPoint(at)), element.offsetWidth + 4, element.offsetHeight + 2, size)
          .find(b => !taken.some(t => overlap(b, t)));
        element.classList.toggle('crowded', !spot);
        if (!spot) continue;
        taken.push(spot);
        name.label.setLatLng(map.containerPointToLatLng(spot.p));
        element.firstElementChild.style.transform = spot.angle ? `rotate(${spot.angle}rad)` : '';
      }
    };
    // Where a name w × h pixels may be centred in a map of `size`, with the box it then takes: a place's point, or spots along a line's parts.
    const spots = (points, w, h, size) => {
      const box = (p, angle) => {
        const c = Math.abs(Math.cos(angle)), s = Math.abs(Math.sin(angle)), x = (w * c + h * s) / 2, y = (w * s + h * c) / 2;
        return { p, angle, left: p.x - x, right: p.x + x, top: p.y - y, bottom: p.y + y };
      };
      if (points.length === 1) return [box(points[0], 0)].filter(b => b.left >= 0 && b.top >= 0 && b.right <= size.x && b.bottom <= size.y);
      return points.slice(1).map((b, i) => {
        const a = points[i];
        let angle = Math.atan2(b.y - a.y, b.x - a.x);
        if (angle >= Math.PI / 2 - 1e-9) angle -= Math.PI; else if (angle < -Math.PI / 2 - 1e-9) angle += Math.PI;
        const half = box(L.point(0, 0), angle);
        const part = clip(a, b, { left: half.right, top: half.bottom, right: size.x - half.right, bottom: size.y - half.bottom });
        return part && { part, angle };
      }).filter(Boolean).sort((x, y) => y.part[0].distanceTo(y.part[1]) - x.part[0].distanceTo(x.part[1]))
        .flatMap(({ part: [a, b], angle }) => alongPart.map(f => box(L.point(a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)), angle)));
    };
    const alongPart = [4, 3, 5, 2, 6, 1, 7, 0, 8].map(k => k / 8);   // from the middle of a part outwards, its ends last
    // The part of the segment a–b inside the rectangle `r` (Liang–Barsky), or null.
    const clip = (a, b, r) => {
      const dx = b.x - a.x, dy = b.y - a.y;
      let t0 = 0, t1 = 1;
      for (const [p, q] of [[-dx, a.x - r.left], [dx, r.right - a.x], [-dy, a.y - r.top], [dy, r.bottom - a.y]]) {
        if (p === 0) { if (q < 0) return null; continue; }
        const t = q / p;
        if (p < 0) { if (t > t1) return null; t0 = Math.max(t0, t); } else { if (t < t0) return null; t1 = Math.min(t1, t); }
      }
      return [L.point(a.x + t0 * dx, a.y + t0 * dy), L.point(a.x + t1 * dx, a.y + t1 * dy)];
    };
    const label = (className, at, text) =>
      L.tooltip({ permanent: true, direction: 'center', className, pane: 'street-labels', interactive: false }).setLatLng(at).setContent(textNode(text));
    const load = coalesced(async () => {
      show();
      const view = map.getBounds();
      if (map.getZoom() < minZoom || (loaded && loaded.contains(view))) return;
      // A map not laid out yet (its box still empty, or hidden) has a view of no width: nothing to ask for until it is resized.
      if (!(view.getEast() > view.getWest() && view.getNorth() > view.getSouth())) return;
      let box = view.pad(0.25);
      if (box.getNorth() - box.getSouth() > maxSpan || box.getEast() - box.getWest() > maxSpan) box = view;
      if (box.getNorth() - box.getSouth() > maxSpan || box.getEast() - box.getWest() > maxSpan) return;
      const q = new URLSearchParams({ south: box.getSouth(), west: box.getWest(), north: box.getNorth(), east: box.getEast() });
      const response = await request(`/api/v1/addresses/streets?${q}`);
      if (!response.ok) return;
      const drawn = await response.json();
      if (!drawn.complete) return;
      lines.clearLayers();
      labels.clearLayers();
      const streets = drawn.streets.map(street => {
        L.polyline(street.points, { renderer, pane: 'streets', color: '#868e96', weight: weight(), opacity: 0.6, interactive: false, className: 'street-line' })
          .addTo(lines);
        const length = street.points.slice(1).reduce((sum, p, i) => sum + distanceMeters(street.points[i], p), 0);
        return { label: label('street-label', street.points[0], street.name), points: street.points, length };
      }).sort((a, b) => a.length - b.length);
      const places = drawn.places.map(place => ({ label: label('place-label', [place.latitude, place.longitude], place.name), points: [[place.latitude, place.longitude]] }));
      names = [...streets, ...places];
      names.forEach(name => labels.addLayer(name.label));
      loaded = box;
      show();
    });
    map.on('moveend', load);
    map.whenReady(load);
  }

  // A chart's plot stays worth reading however long its legend: where the legend (below the plot) leaves the plot under 140 px — a phone,
  // a dozen series — the chart's box grows by the shortfall (Chart.js then redraws at the new height). Charts take it as an inline plugin.
  const roomForPlot = {
    id: 'roomForPlot',
    afterLayout(chart) {
      const short = 140 - (chart.chartArea.bottom - chart.chartArea.top);
      if (short > 1) chart.canvas.parentElement.style.height = `${chart.canvas.parentElement.getBoundingClientRect().height + short}px`;
    },
  };

  // Whether two boxes ({ left, top, right, bottom }) overlap — a name or label is never drawn over another — and whether one lies inside another.
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const inside = (a, b) => a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
  // Where the map's own buttons and attribution sit: no label goes under them.
  const controlBoxes = map => [...map.getContainer().querySelectorAll('.leaflet-control')].map(e => e.getBoundingClientRect());

  // Markers' labels always shown (permanent tooltips) but never over each other, over another marker, under the map's buttons or past its edge: after every
  // move, each label in turn — `items()` gives them most important first, as [{ marker, content }] (circle markers) — goes above its marker,
  // or else to its right, left or below (above or below sliding along to stay inside the map), at the first side where it is clear (the
  // first 40 markers in view are tried), and is otherwise folded to its marker's hover (a tap on a phone), as a street's name is left out
  // where it has no room. Returns the arrangement, to run after a redraw; the map then fires `labelsarranged`.
  function labelsApart(map, items) {
    const sides = r => [['top', [0, -r]], ['right', [r, 0]], ['left', [-r, 0]], ['bottom', [0, r]]];
    const arrange = () => {
      const view = map.getBounds(), edge = map.getContainer().getBoundingClientRect(), all = items(), taken = controlBoxes(map);
      const markerBoxes = all.map(i => i.marker).filter(m => view.contains(m.getLatLng())).map(m => ({ m, box: m.getElement().getBoundingClientRect() }));
      const clear = (marker, box) => inside(box, edge) && !taken.some(t => overlap(box, t)) && !markerBoxes.some(o => o.m !== marker && overlap(box, o.box));
      let tried = 0;
      for (const { marker, content } of all) {
        const around = sides((marker.options.radius ?? 8) - 1);
        marker.unbindTooltip();
        if (view.contains(marker.getLatLng()) && tried++ < 40) {
          const placed = around.some(([direction, offset]) => {
            marker.bindTooltip(content, { direction, offset, permanent: true });
            const tooltip = marker.getTooltip();
            let box = tooltip.getElement()?.getBoundingClientRect();
            // Above or below a marker near the map's side, the label slides along to stay inside (its marker still under it).
            const slide = !box || !['top', 'bottom'].includes(direction) ? 0
              : box.left < edge.left ? edge.left - box.left : box.right > edge.right ? edge.right - box.right : 0;
            if (slide) {
              tooltip.options.offset = L.point(offset[0] + slide, offset[1]);
              tooltip.update();
              tooltip.getElement().classList.add('slid');   // its pointer, in the label's middle, would point past the marker
              box = tooltip.getElement().getBoundingClientRect();
            }
            if (box && clear(marker, box)) { taken.push(box); return true; }
            marker.unbindTooltip();
            return false;
          });
          if (placed) continue;
        }
        marker.bindTooltip(content, { direction: around[0][0], offset: around[0][1] });
      }
      map.fire('labelsarranged');
    };
    map.on('moveend', arrange);   // (a zoom ends with a move's end as well)
    return arrange;
  }

  // Great-circle geometry on the WGS 84 mean radius (the same as GeoMath on the server).
  const earthRadius = 6371008.8, rad = d => d * Math.PI / 180, deg = r => r * 180 / Math.PI;

  // The point `meters` away from (lat, lon) along `bearing` (degrees clockwise from north), as [lat, lon].
  function offset(lat, lon, meters, bearing) {
    const d = meters / earthRadius, t = rad(bearing), p1 = rad(lat), l1 = rad(lon);
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
    const l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [deg(p2), (deg(l2) + 540) % 360 - 180];
  }

  // Metres between two [lat, lon] points (haversine).
  function distanceMeters(a, b) {
    const h = Math.sin(rad(b[0] - a[0]) / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(rad(b[1] - a[1]) / 2) ** 2;
    return 2 * earthRadius * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // The close dialog's choices for an incident of this kind: the page's outcomes per kind (#incident-outcomes, IncidentOutcomes.ByKind).
  function outcomeOptions(kind) {
    const outcomes = JSON.parse(document.getElementById('incident-outcomes').textContent);
    return [new Option('Choose the outcome…', ''), ...(outcomes[kind] || outcomes['*']).map(o => new Option(o.label, o.code))];
  }

  function incidentMarker(incident) {
    return L.circleMarker([incident.latitude, incident.longitude], {
      radius: 10, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: statusColors[incident.status] || '#0d6efd',
    });
  }

  // Other authorities' CAP alerts in force (ListCurrentInboundCapAlerts' JSON): one feature group per alert id (polygons, circles as
  // polygons, radius-0 circles as points), coloured by severity, with a text-only tooltip. Used by the alerts page and the board's layer.
  function inboundAlertLayers(alerts, options = {}) {
    const colors = { Extreme: '#dc3545', Severe: '#fd7e14', Moderate: '#ffc107', Minor: '#0dcaf0' };
    const all = L.featureGroup();
    const byId = new Map();
    for (const a of alerts) {
      const group = L.featureGroup().addTo(all);
      const color = colors[a.severity] || '#6c757d';
      const label = textNode(`${a.event || 'Alert'} — ${a.senderName || a.sender}${a.headline ? `: ${a.headline}` : ''}`);
      for (const area of a.areas) {
        for (const polygon of area.polygons)
          L.polygon(polygon.map(p => [p.latitude, p.longitude]), { color, weight: 2, fillOpacity: options.fillOpacity ?? 0.15, dashArray: options.dashArray })
            .bindTooltip(label.cloneNode(true)).addTo(group);
        for (const p of area.points)
          L.circleMarker([p.latitude, p.longitude], { color, radius: 8 }).bindTooltip(label.cloneNode(true)).addTo(group);
      }
      byId.set(a.id, group);
    }
    return { all, byId };
  }

  // Officer notices (a hotlist hit near the officer, a reoffender released into their district) appear at the top of whatever
  // page the person has open, newest first; a connection in several of the notice's groups receives it once per group.
  function showNotice(n) {
    const box = document.getElementById('officer-notifications');
    if (!box || box.querySelector(`[data-notification-id="${CSS.escape(String(n.id))}"]`)) return;
    const item = Object.assign(document.createElement('div'), { className: 'alert alert-info alert-dismissible py-2 small mb-1', role: 'status' });
    item.dataset.notificationId = n.id;
    if (n.kind === 'HotlistHit') { item.className = 'alert alert-danger alert-dismissible py-2 small mb-1'; item.setAttribute('role', 'alert'); item.dataset.kind = 'hotlist-hit'; }
    const title = Object.assign(document.createElement('strong'), { textContent: n.title });
    const meta = [n.district ? `district ${n.district}` : null, n.supervisingOfficer ? `supervising officer ${n.supervisingOfficer}` : null].filter(Boolean).join(' · ');
    const close = Object.assign(document.createElement('button'), { type: 'button', className: 'btn-close' });
    close.setAttribute('data-bs-dismiss', 'alert');
    close.setAttribute('aria-label', 'Dismiss');
    item.append(title);
    // A hit is unconfirmed until someone confirms it (ADR 0043): the flag, and the reader's picture (same origin only) to verify the plate.
    if (n.badge) item.append(' ', Object.assign(document.createElement('span'), { className: 'badge text-bg-warning notice-badge', textContent: n.badge }));
    if (n.imageUrl && n.imageUrl.startsWith('/') && !n.imageUrl.startsWith('//'))
      item.append(document.createElement('br'), Object.assign(document.createElement('img'), { src: n.imageUrl, className: 'plate-thumb notice-image', alt: 'Picture of the read plate', width: 96, height: 32 }));
    item.append(document.createElement('br'), document.createTextNode(n.text + (meta ? ` (${meta})` : '')));
    // Only links into this app (a hit's responder page): never an address from elsewhere.
    if (n.link && n.link.startsWith('/') && !n.link.startsWith('//'))
      item.append(' ', Object.assign(document.createElement('a'), { href: n.link, className: 'alert-link notice-link', textContent: 'Respond →' }));
    item.append(close);
    box.prepend(item);
  }

  // A commander decided the look-up this page waits for (pushed to its requester only): the status box turns into "Approved" with the button
  // that runs it, or "Denied" with the reason, in the words _ApprovalStatus.cshtml renders. Only a box still waiting for that request changes.
  function showApprovalDecision(d) {
    const box = document.getElementById('approval-status');
    if (!box || box.dataset.approvalId !== String(d.approvalId) || box.dataset.status !== 'pending') return;
    const approved = d.status === 'approved';
    box.dataset.status = d.status;
    box.className = `alert ${approved ? 'alert-success' : 'alert-secondary'} py-2 small`;
    box.querySelector('[data-role="title"]').textContent = approved ? 'Approved' : 'Denied';
    const decision = box.querySelector('[data-role="decision"]');
    decision.replaceChildren(`${approved ? 'Approved' : 'Denied'} by ${d.decidedBy}, `, timeElement(d.decidedAt, 'datetime'), `: ${d.reason}`);
    if (approved && d.expiresAt) decision.append(' Valid once until ', timeElement(d.expiresAt, 'datetime'), '.');
    box.querySelector('[data-role="refusal"]').textContent = approved
      ? 'A commander approved this look-up: run it now.' : 'A commander denied this look-up: it will not run.';
    const rerun = document.getElementById('approval-rerun');
    if (rerun && approved) {
      rerun.textContent = 'Run the approved look-up';
      rerun.classList.replace('btn-outline-secondary', 'btn-primary');
    } else if (rerun) rerun.remove();
  }

  let hubStarted = false;
  // Pages without a live view of their own still connect, for the notices (the layout's #officer-notifications marks a signed-in person).
  document.addEventListener('DOMContentLoaded', () => {
    if (!hubStarted && document.getElementById('officer-notifications')) connectIncidents({});
  });

  // Connects to /hubs/incidents, keeps the status badge honest, reconnects by itself; officer notices are shown on any page.
  // handlers.connected runs once the hub is connected, the first time and after every reconnection: a page fetches there what changed
  // since it was drawn or since the connection dropped (a change pushed before the connection was up reaches nobody).
  async function connectIncidents(handlers) {
    hubStarted = true;
    const badge = document.getElementById('hub-status');
    const show = (text, cls) => {
      document.body.dataset.hub = text === 'live' ? 'live' : 'down';
      if (badge) { badge.textContent = text; badge.className = 'badge ' + cls; }
    };
    // WebSockets without negotiation: one request, so any node behind the load balancer can take it (no sticky sessions; README, Two nodes).
    const connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/incidents', { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
      .build();
    if (handlers.incidentChanged) connection.on('IncidentChanged', handlers.incidentChanged);
    if (handlers.timelineAppended) connection.on('TimelineAppended', handlers.timelineAppended);
    connection.on('OfficerNotified', showNotice);
    connection.on('SearchApprovalDecided', showApprovalDecision);
    connection.onreconnecting(() => show('reconnecting…', 'text-bg-warning'));
    connection.onreconnected(() => { show('live', 'text-bg-success'); if (handlers.connected) handlers.connected(); });
    connection.onclose(() => show('offline', 'text-bg-danger'));
    for (;;) {
      try {
        await connection.start();
        show('live', 'text-bg-success');
        if (handlers.connected) handlers.connected();
        return connection;
      } catch (e) {
        show('offline — retrying', 'text-bg-danger');
        await new Promise(r => setTimeout(r, 3000));
      }
    }
  }

  // Tooltips and popups take an element, never a string (Leaflet sets a string as innerHTML): names are user input.
  function textNode(text) {
    return Object.assign(document.createElement('span'), { textContent: text });
  }

  // The one clock (README, City:TimeZone): times in the city's zone from <body data-time-zone>, labelled as the server labels them
  // (<body data-time-zone-labels="-300:EST,-240:EDT">: minutes east of UTC → abbreviation; otherwise the offset, "UTC+01:00").
  const zoneLabels = new Map((body.timeZoneLabels || '').split(',').filter(Boolean).map(p => {
    const i = p.indexOf(':');
    return [parseInt(p.slice(0, i), 10), p.slice(i + 1)];
  }));
  const zoneParts = new Intl.DateTimeFormat('en-US', {
    timeZone: body.timeZone || 'UTC', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
  });
  const pad = n => String(n).padStart(2, '0');

  // The parts of an instant in the city's zone: { date: 'yyyy-MM-dd', minutes: 'HH:mm', time: 'HH:mm:ss', label, utc }.
  function cityTime(iso) {
    const d = new Date(iso);
    const p = Object.fromEntries(zoneParts.formatToParts(d).map(x => [x.type, x.value]));
    const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(p.timeZoneName);
    const offset = m ? (m[1] === '-' ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10)) : 0;
    const label = zoneLabels.get(offset) || `UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
    return { date: `${p.year}-${p.month}-${p.day}`, minutes: `${p.hour}:${p.minute}`, time: `${p.hour}:${p.minute}:${p.second}`, label, utc };
  }

  // "14:03:05 EST" (format 'minutes': "14:03 EST", 'datetime': "2026-12-03 14:03 EST").
  function timeText(iso, format = 'time') {
    const t = cityTime(iso);
    if (format === 'minutes') return `${t.minutes} ${t.label}`;
    if (format === 'datetime') return `${t.date} ${t.minutes} ${t.label}`;
    return `${t.time} ${t.label}`;
  }

  // A <time> element as the server's <city-time> renders it: city time, labelled, the UTC instant on hover.
  function timeElement(iso, format = 'time') {
    const el = Object.assign(document.createElement('time'), { textContent: timeText(iso, format), title: cityTime(iso).utc });
    el.dateTime = new Date(iso).toISOString();
    return el;
  }

  // fn run at most once at a time: calls while it runs make it run once more afterwards, so a burst of live events costs two requests at most.
  function coalesced(fn) {
    let running = null, again = false;
    return async function run() {
      if (running) { again = true; return running; }
      running = (async () => {
        do {
          again = false;
          try { await fn(); } catch { /* offline for a moment: the next event tries again */ }
        } while (again);
      })();
      try { await running; } finally { running = null; }
    };
  }

  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  async function problemText(response) {
    try {
      const p = await response.json();
      const errors = p.errors ? Object.entries(p.errors).map(([k, v]) => `${k}: ${v.join(' ')}`).join(' ') : '';
      return `${p.detail || p.title || response.statusText} ${errors}`.trim();
    } catch { return `${response.status} ${response.statusText}`; }
  }

  // CSV import form (#import-form, #import-file, #import-start, #import-progress, #import-status, #import-rejected): the browser reads
  // the file, posts it in chunks { header, firstLine, lines } to url(), advances the bar per chunk, adds up the numeric counters of
  // the answers and lists every rejected line with its reason. summary(totals, rejectedCount) words the result. Optional: begin() runs
  // (awaited) before the first chunk, finish(totals) after the last one (e.g. to commit a staged import; its text is shown, the bar
  // keeps its last 5 % for it).
  function csvImport({ url, summary, precheck, done, begin, finish }) {
    const form = document.getElementById('import-form');
    const fileInput = document.getElementById('import-file');
    const button = document.getElementById('import-start');
    const progress = document.getElementById('import-progress');
    const bar = progress.querySelector('.progress-bar');
    const status = document.getElementById('import-status');
    const rejectedList = document.getElementById('import-rejected');
    const chunkSize = parseInt(form.dataset.chunkSize, 10) || 100;
    const setProgress = (n, total, share = 1) => {
      const percent = total === 0 ? 100 : Math.round(n * 100 * share / total);
      progress.setAttribute('aria-valuenow', String(percent));
      bar.style.width = percent + '%';
      bar.textContent = percent + ' %';
    };

    form.addEventListener('submit', async e => {
      e.preventDefault();
      const file = fileInput.files[0];
      rejectedList.replaceChildren();
      delete status.dataset.done;
      const problem = precheck ? precheck() : null;
      if (problem) { status.textContent = problem; return; }
      if (!file) { status.textContent = 'Choose a CSV file first.'; return; }
      const lines = (await file.text()).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
      while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
      const header = lines[0];
      const body = lines.slice(1);
      if (body.length === 0) { status.textContent = 'The file has no lines after the header.'; return; }

      button.disabled = true;
      progress.hidden = false;
      setProgress(0, body.length);
      const totals = {};
      const rejected = [];
      let failed = null;
      const share = finish ? 0.95 : 1;
      if (begin) {
        try { await begin(); } catch (err) { failed = err.message; }
      }
      for (let i = 0; !failed && i < body.length; i += chunkSize) {
        const chunk = body.slice(i, i + chunkSize);
        status.textContent = `Importing lines ${i + 2}–${i + 1 + chunk.length} of ${body.length + 1}…`;
        let response;
        try {
          response = await request(url(), { method: 'POST', json: { header, firstLine: i + 2, lines: chunk } });
        } catch (err) { failed = `Network error: ${err.message}`; break; }
        if (!response.ok) { failed = await problemText(response); break; }
        const result = await response.json();
        for (const [key, value] of Object.entries(result))
          if (typeof value === 'number') totals[key] = (totals[key] || 0) + value;
        rejected.push(...result.rejected);
        setProgress(Math.min(i + chunk.length, body.length), body.length, share);
      }
      let finished = '';
      if (finish && !failed) {
        status.textContent = 'Committing…';
        try { finished = await finish(totals); setProgress(1, 1); } catch (err) { failed = err.message; }
      }
      for (const r of rejected) {
        const li = document.createElement('li');
        li.dataset.line = r.line;
        li.textContent = `Line ${r.line}: ${r.reason}`;
        rejectedList.append(li);
      }
      const text = summary(totals, rejected.length) + (totals.blank ? `; ${plural(totals.blank, 'blank line')} skipped` : '') + '.'
        + (finished ? ` ${finished}` : '');
      status.textContent = failed ? `Stopped: ${failed} ${text}` : text;
      status.dataset.done = failed ? 'failed' : 'ok';
      if (done) done(totals, status);
      button.disabled = false;
    });
  }

  return { createMap, labelsApart, roomForPlot, offset, distanceMeters, outcomeOptions, incidentMarker, inboundAlertLayers, connectIncidents, request, textNode, timeText, timeElement, cityTime, statusColors, plural, coalesced, problemText, csvImport };
})();
