// Vehicles seen near an incident, ranked by relevance: a vehicle on a hotlist first (Plates marks a read data-listed when its plate has a hit
// anywhere in the city that was not rejected; a new hit's Plates timeline entry makes incident-plates.js load the reads again); then the
// vehicles of the automatic co-location (Plates' "VehiclesColocated" timeline entry, which names them strongest score first) in that order;
// then vehicles read more than once near it; then the rest (newest first, as listed). Only the first few stay visible; the rest fold behind
// "N more vehicles". Re-ranks whenever incident-plates.js re-renders the list or a timeline entry arrives.
(() => {
  const section = document.getElementById('incident-plate-reads');
  if (!section) return;
  const list = section.querySelector('[data-role="list"]');
  const shown = 5;
  let expanded = false;

  const escape = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  function rank() {
    list.querySelectorAll('li.vehicle-fold').forEach(li => li.remove());
    const items = [...list.querySelectorAll('li[data-read-id]')];
    const plateOf = li => (li.querySelector('.plate') || {}).textContent || '';
    const counts = new Map();
    items.forEach(li => counts.set(plateOf(li), (counts.get(plateOf(li)) || 0) + 1));
    const colocated = [...document.querySelectorAll('#timeline li[data-kind="VehiclesColocated"]')].map(li => li.textContent).join('\n');
    const score = li => {
      const plate = plateOf(li);
      const word = plate && new RegExp(`\\b${escape(plate)}\\b`);
      if (li.dataset.listed === 'true') return 3;
      const at = word ? colocated.search(word) : -1;
      if (at >= 0) return 2 + 1 / (2 + at); // named earlier = a stronger score
      return counts.get(plate) > 1 ? 1 : 0;
    };
    items.forEach((li, n) => { li.dataset.rank = String(score(li)); li.dataset.order = String(n); });
    items.sort((a, b) => b.dataset.rank - a.dataset.rank || a.dataset.order - b.dataset.order);
    items.forEach((li, n) => {
      li.classList.toggle('list-group-item-warning', li.dataset.rank === '3');
      markListed(li, li.dataset.rank === '3');
      li.hidden = !expanded && n >= shown;
      list.append(li);
    });
    if (items.length > shown) {
      const fold = Object.assign(document.createElement('li'), { className: 'list-group-item vehicle-fold py-1' });
      const button = Object.assign(document.createElement('button'), {
        type: 'button', className: 'btn btn-link btn-sm p-0',
        textContent: expanded ? 'Show fewer vehicles' : (hiddenVehicles(items) > 0 ? `${hiddenVehicles(items)} more vehicles` : `${items.length - shown} more reads`),
      });
      button.setAttribute('aria-expanded', String(expanded));
      button.addEventListener('click', () => { expanded = !expanded; rank(); });
      fold.append(button);
      list.append(fold);
    }
    listObserver.takeRecords(); // our own moves are not a re-render
  }

  // A listed vehicle says so beside its plate, not only by its colour.
  function markListed(li, listed) {
    const badge = li.querySelector('.listed-badge');
    if (!listed) { if (badge) badge.remove(); return; }
    if (badge) return;
    const plate = li.querySelector('.plate');
    if (plate) plate.after(Object.assign(document.createElement('span'), { className: 'badge text-bg-danger listed-badge', textContent: 'hotlist' }));
  }

  // Plates read more than once are one vehicle: count the folded vehicles not already shown.
  function hiddenVehicles(items) {
    const plate = li => (li.querySelector('.plate') || {}).textContent || li.dataset.readId;
    const visible = new Set(items.slice(0, shown).map(plate));
    return new Set(items.slice(shown).map(plate).filter(p => !visible.has(p))).size;
  }

  // A re-render of the list (incident-plates.js) or a new timeline entry (a co-location) ranks again.
  const listObserver = new MutationObserver(rank);
  listObserver.observe(list, { childList: true });
  const timeline = document.getElementById('timeline');
  if (timeline) new MutationObserver(rank).observe(timeline, { childList: true });
  rank();
})();
