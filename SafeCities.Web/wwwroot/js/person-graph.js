// Person page: the link graph drawn with Cytoscape.js (wwwroot/lib/cytoscape, from npm). Labels are element data drawn on a canvas; the
// evidence panel is built with textContent only. An agency's person record (a dashed "identity" line) can be confirmed or split off here,
// through the links API with the page's antiforgery token (safecities.request).
(() => {
  const data = document.getElementById('person-graph-data');
  const container = document.getElementById('person-graph');
  const panel = document.getElementById('graph-evidence');
  if (!data || !container || !panel || !window.cytoscape) return;
  const sc = window.safecities;
  const { nodes, edges } = JSON.parse(data.textContent);
  const canLink = container.dataset.canLink === 'true';
  const colors = {
    person: '#0d6efd', 'agency-record': '#6f42c1', vehicle: '#198754', incident: '#dc3545', 'court-case': '#fd7e14', warrant: '#b02a37',
    booking: '#495057', supervision: '#20c997', 'call-for-service': '#d63384',
  };
  const shorten = text => (text.length > 32 ? `${text.slice(0, 31)}…` : text);
  // Labels in the page's own colours (light or dark theme), outlined in its background so they stay legible over lines.
  const fg = getComputedStyle(container).color || '#212529';
  const bg = getComputedStyle(document.body).backgroundColor || '#fff';

  const cy = window.cytoscape({
    container,
    elements: [
      ...nodes.map(n => ({ data: { id: n.id, kind: n.kind, label: shorten(n.label), full: n.label } })),
      ...edges.map(e => ({
        data: { id: e.id, source: e.from, target: e.to, label: e.label, kind: e.kind, evidence: e.evidence || [], identityId: e.identityId || null },
        classes: e.kind === 'identity' && e.label.startsWith('confirmed') ? 'confirmed' : '',
      })),
    ],
    style: [
      {
        selector: 'node',
        style: {
          'background-color': n => colors[n.data('kind')] || '#adb5bd', label: 'data(label)', 'font-size': 10, color: fg,
          'text-outline-color': bg, 'text-outline-width': 2,
          'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'wrap', 'text-max-width': '130px', width: 20, height: 20,
        },
      },
      { selector: 'node[kind = "person"]', style: { width: 34, height: 34, 'font-size': 12, 'font-weight': 'bold' } },
      {
        selector: 'edge',
        style: {
          width: 2, 'line-color': '#adb5bd', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: fg,
          'text-rotation': 'autorotate', 'text-background-color': bg, 'text-background-opacity': 0.85, 'text-background-padding': '1px',
        },
      },
      { selector: 'edge[kind = "identity"]', style: { 'line-color': '#6f42c1', 'line-style': 'dashed' } },
      { selector: 'edge.confirmed', style: { 'line-style': 'solid', width: 3 } },
      { selector: 'edge[kind = "case-number"]', style: { 'line-color': '#fd7e14', width: 3 } },
      { selector: 'edge[kind = "incident"]', style: { 'line-color': '#dc3545' } },
      { selector: 'edge:selected', style: { 'line-color': '#000', width: 4 } },
    ],
    layout: { name: 'preset' },
    minZoom: 0.3, maxZoom: 3,
  });
  // The person in the middle, what is linked to them on a ring around, incidents (reached through a vehicle) on the next ring.
  cy.layout({ name: 'breadthfirst', roots: cy.nodes('[kind = "person"]'), circle: true, spacingFactor: 2.4, padding: 40, animate: false }).run();
  if (cy.zoom() > 1.1) {   // a small graph is not blown up: labels stay at their size
    cy.zoom(1.1);
    cy.center();
  }
  // For tests and the curious: the graph object and its size.
  window.cy = cy;
  const counts = () => {
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
  };
  counts();

  const el = (tag, props = {}, ...children) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...children);
    return e;
  };

  function updateTableRow(link) {
    const row = document.querySelector(`#identities tr[data-identity-id="${link.identityId}"]`);
    if (!row) return;
    row.querySelector('.link-status').textContent = link.status;
    row.querySelector('.link-evidence').textContent = link.evidence.join('; ');
  }

  async function act(edge, action, status) {
    const id = edge.data('identityId');
    panel.querySelectorAll('button').forEach(b => { b.disabled = true; });
    status.textContent = action === 'confirm' ? 'Confirming…' : 'Splitting…';
    const response = await sc.request(`/api/v1/intelligence/links/${id}/${action}`, { method: 'POST' });
    if (!response.ok) {
      status.textContent = await sc.problemText(response);
      panel.querySelectorAll('button').forEach(b => { b.disabled = false; });
      return;
    }
    const link = await response.json();
    updateTableRow(link);
    if (action === 'confirm') {
      edge.data('label', `${link.status}${link.score > 0 ? ` ${link.score.toFixed(2)}` : ''}`);
      edge.data('evidence', [edge.data('evidence')[0], ...link.evidence]);
      edge.addClass('confirmed');
      show(edge, `Confirmed: ${link.agency} record ${link.sourceId} belongs to this person.`);
      return;
    }
    // Split: the agency's person record (and that agency's records and vehicles about it) is now a person of its own.
    const statement = container.dataset.statement || '';
    edge.target().remove();
    counts();
    panel.replaceChildren(
      el('p', { className: 'mb-1', id: 'graph-split' }, `Split: ${link.agency} record ${link.sourceId} (${link.name}) is now a person of its own. `,
        el('a', { href: `/Intelligence/Persons/${link.personId}?${statement}`, textContent: 'Open that person' })),
      el('p', { className: 'mb-0 text-secondary' }, 'Records and vehicles that agency sent about them moved with it; ',
        el('a', { href: window.location.href, textContent: 'reload this page' }), ' to see what is left here.'));
  }

  function show(edge, message) {
    cy.elements().unselect();
    edge.select();
    const label = node => node.data('full');
    const status = el('p', { className: 'mb-0 text-secondary', id: 'graph-action-status', role: 'status' }, message || '');
    const parts = [
      el('h3', { className: 'h6 mb-1' }, `${label(edge.source())} ↔ ${label(edge.target())}`),
      el('p', { className: 'mb-1' }, el('span', { className: 'badge text-bg-secondary me-1' }, edge.data('kind')), edge.data('label')),
      el('ul', { id: 'graph-evidence-list' }, ...edge.data('evidence').map(line => el('li', { textContent: line }))),
    ];
    if (edge.data('identityId') && canLink) {
      const confirm = el('button', { type: 'button', className: 'btn btn-sm btn-success me-2', id: 'link-confirm', textContent: 'Confirm' });
      const split = el('button', { type: 'button', className: 'btn btn-sm btn-outline-danger', id: 'link-split', textContent: 'Split off' });
      confirm.disabled = edge.hasClass('confirmed');
      confirm.addEventListener('click', () => act(edge, 'confirm', status));
      split.addEventListener('click', () => act(edge, 'split', status));
      parts.push(el('div', { className: 'mb-1' }, confirm, split));
    }
    parts.push(status);
    panel.replaceChildren(...parts);
  }

  cy.on('tap', 'edge', ev => show(ev.target));
  for (const button of document.querySelectorAll('#graph button[data-edge]')) {
    button.addEventListener('click', () => {
      const edge = cy.getElementById(button.dataset.edge);
      if (edge.nonempty()) show(edge);
    });
  }
})();
