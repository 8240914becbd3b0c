// The public alerts page (no sign-in): current alerts on a map and in a list, English or Spanish as each alert provides, "alerts near me"
// from the browser's location (used on the phone only: nothing is sent to the server). Every text goes in with textContent.
(() => {
  const $ = id => document.getElementById(id);
  const words = {
    en: { title: 'Public alerts', near: 'Alerts near me', none: 'There are no current alerts.', issued: 'Issued', expires: 'expires', inside: 'You are inside this area',
      away: d => `${d} from you`, locating: 'Finding your location…', denied: 'Your location is not available; the alerts are listed by severity.', sorted: 'Nearest first.',
      only: 'Only in English', details: 'CAP message', updated: 'Updated', severity: { Extreme: 'Extreme', Severe: 'Severe', Moderate: 'Moderate', Minor: 'Minor', Unknown: 'Unknown' } },
    es: { title: 'Alertas públicas', near: 'Alertas cerca de mí', none: 'No hay alertas vigentes.', issued: 'Emitida', expires: 'vence', inside: 'Usted está dentro de esta zona',
      away: d => `a ${d} de usted`, locating: 'Buscando su ubicación…', denied: 'Su ubicación no está disponible; las alertas se ordenan por gravedad.', sorted: 'Las más cercanas primero.',
      only: 'Solo en inglés', details: 'Mensaje CAP', updated: 'Actualizado', severity: { Extreme: 'Extrema', Severe: 'Grave', Moderate: 'Moderada', Minor: 'Menor', Unknown: 'Desconocida' } },
  };
  const severityColors = { Extreme: '#dc3545', Severe: '#fd7e14', Moderate: '#ffc107', Minor: '#0dcaf0', Unknown: '#6c757d' };
  let lang = (navigator.language || 'en').toLowerCase().startsWith('es') ? 'es' : 'en';
  let alerts = JSON.parse($('alerts-data').textContent);
  let me = null;
  let nearStatus = '';   // the key in words of the "alerts near me" status, shown in the chosen language
  const map = safecities.createMap('alerts-map');
  const layers = L.featureGroup().addTo(map);
  let meMarker = null;

  const el = (tag, className, text) => Object.assign(document.createElement(tag), className ? { className } : {}, text !== undefined ? { textContent: text } : {});
  const textOf = a => a.texts.find(t => t.language === lang) || a.texts[0];

  // Metres from the person to the alert's area (0 inside): a circle's edge, or a polygon's nearest edge (local flat projection).
  function distance(a, p) {
    if (a.polygon && a.polygon.length) {
      const pts = a.polygon.map(q => [q.latitude, q.longitude]);
      if (inside(pts, p)) return 0;
      const k = Math.cos(p[0] * Math.PI / 180) * 111320, m = 110540;
      const xy = q => [(q[1] - p[1]) * k, (q[0] - p[0]) * m];
      let best = Infinity;
      for (let i = 0; i + 1 < pts.length; i++) {
        const [ax, ay] = xy(pts[i]), [bx, by] = xy(pts[i + 1]);
        const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
        const t = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
      return best;
    }
    return Math.max(0, safecities.distanceMeters(p, [a.circleLatitude, a.circleLongitude]) - a.circleRadiusMeters);
  }

  function inside(pts, p) {
    let c = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      if ((pts[i][0] > p[0]) !== (pts[j][0] > p[0]) && p[1] < (pts[j][1] - pts[i][1]) * (p[0] - pts[i][0]) / (pts[j][0] - pts[i][0]) + pts[i][1]) c = !c;
    }
    return c;
  }

  const km = m => m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;

  function render() {
    const w = words[lang];
    document.documentElement.lang = lang;
    $('alerts-title').textContent = w.title;
    $('near-me').textContent = w.near;
    $('near-status').textContent = nearStatus ? w[nearStatus] : '';
    for (const b of document.querySelectorAll('[data-lang]')) {
      b.classList.toggle('active', b.dataset.lang === lang);
      b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    }
    const list = $('alert-list');
    list.replaceChildren();
    layers.clearLayers();
    $('alerts-empty').textContent = w.none;
    $('alerts-empty').classList.toggle('d-none', alerts.length > 0);
    const shown = alerts.map(a => ({ a, d: me ? distance(a, me) : null }));
    if (me) shown.sort((x, y) => x.d - y.d);
    for (const { a, d } of shown) {
      const t = textOf(a);
      const color = severityColors[a.severity] || '#6c757d';
      const item = el('article', 'card border-2');
      item.style.borderColor = color;
      item.dataset.identifier = a.identifier;
      item.lang = t.language;
      const body = el('div', 'card-body p-2');
      const head = el('div', 'd-flex flex-wrap gap-1 align-items-center mb-1');
      const badge = el('span', 'badge', w.severity[a.severity] || a.severity);
      badge.style.backgroundColor = color;
      badge.style.color = a.severity === 'Moderate' ? '#000' : '#fff';
      head.append(badge, el('span', 'small text-secondary', `${a.event} · ${a.areaDescription}`));
      body.append(head, el('h2', 'h6 mb-1', t.headline));
      if (t.description) body.append(el('p', 'small mb-1', t.description));
      if (t.instruction) body.append(el('p', 'small fw-semibold mb-1', t.instruction));
      if (t.language !== lang) body.append(el('p', 'small fst-italic text-warning mb-1', w.only));
      const meta = el('p', 'small text-secondary mb-0');
      meta.append(`${w.issued} `, safecities.timeElement(a.sent, 'datetime'));
      if (a.expires) meta.append(` · ${w.expires} `, safecities.timeElement(a.expires, 'datetime'));
      meta.append(' · ');
      const link = el('a', 'link-secondary', w.details);
      link.href = `/cap/alerts/${encodeURIComponent(a.identifier)}.xml`;
      meta.append(link);
      body.append(meta);
      if (d !== null) {
        const near = el('p', `small mb-0 mt-1 fw-semibold ${d === 0 ? 'text-danger' : 'text-info'}`, d === 0 ? w.inside : w.away(km(d)));
        near.dataset.role = 'distance';
        body.append(near);
      }
      item.append(body);
      list.append(item);

      const style = { color, weight: 2, fillOpacity: 0.2 };
      const shape = a.polygon && a.polygon.length
        ? L.polygon(a.polygon.map(p => [p.latitude, p.longitude]), style)
        : L.circle([a.circleLatitude, a.circleLongitude], { ...style, radius: a.circleRadiusMeters });
      shape.bindTooltip(safecities.textNode(t.headline));
      shape.on('click', () => item.scrollIntoView({ behavior: 'smooth', block: 'nearest' }));
      layers.addLayer(shape);
    }
    if (meMarker) map.removeLayer(meMarker);
    if (me) meMarker = L.circleMarker(me, { radius: 7, color: '#fff', weight: 2, fillColor: '#0d6efd', fillOpacity: 1 }).addTo(map);
    const bounds = layers.getBounds();
    if (me) bounds.extend(me);
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] });
    $('alerts-updated').textContent = `${w.updated} ${safecities.timeText(new Date().toISOString(), 'minutes')} ·`;
  }

  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => { lang = b.dataset.lang; render(); });

  $('near-me').addEventListener('click', () => {
    const show = key => { nearStatus = key; $('near-status').textContent = words[lang][key]; };
    if (!navigator.geolocation) { show('denied'); return; }
    show('locating');
    navigator.geolocation.getCurrentPosition(pos => {
      me = [pos.coords.latitude, pos.coords.longitude];
      nearStatus = 'sorted';
      render();
    }, () => show('denied'), { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });

  // New, updated and cancelled alerts appear without a reload.
  setInterval(async () => {
    try {
      const response = await safecities.request('/api/v1/public-alerts/current');
      if (response.ok) { alerts = await response.json(); render(); }
    } catch { /* offline: keep what is shown */ }
  }, 60000);

  render();
})();
