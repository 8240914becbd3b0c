// Folds repetitive timeline entries: when a module reports the same kind of entry four times or more (plates read every few seconds by
// armed readers, repeated reads of a listed vehicle, more gunfire), the first and the newest stay visible and the ones between are hidden
// behind a "12 more reads" toggle under the first (remembered per kind while the page is open). Folding is per module and kind, not per
// run, because the modules' reports interleave. The entries stay in the page (in time order) and in the API.
(() => {
  const sc = window.safecities;
  const expanded = new Set();
  const noun = kind => kind === 'IncidentReadsCaptured' || kind === 'HotlistHit' ? 'reads' : 'entries';

  function foldTimeline(list) {
    list.querySelectorAll('li.timeline-fold').forEach(li => li.remove());
    const groups = new Map();
    for (const li of list.querySelectorAll('li[data-entry-id]')) {
      const key = `${li.dataset.module}|${li.dataset.kind}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(li);
    }
    for (const [key, items] of groups) {
      const folded = items.length >= 4 ? items.slice(1, -1) : [];
      items.forEach(li => { li.hidden = false; });
      if (folded.length === 0) continue;
      const open = expanded.has(key);
      folded.forEach(li => { li.hidden = !open; });
      const fold = document.createElement('li');
      fold.className = 'list-group-item timeline-fold py-1';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-link btn-sm p-0';
      button.dataset.foldKind = items[0].dataset.kind;
      button.setAttribute('aria-expanded', String(open));
      const what = noun(items[0].dataset.kind);
      button.textContent = open ? `Fold ${folded.length} ${what}` : `${folded.length} more ${what}`;
      button.addEventListener('click', () => {
        if (expanded.has(key)) expanded.delete(key); else expanded.add(key);
        foldTimeline(list);
      });
      fold.append(button);
      items[0].after(fold);
    }
  }

  sc.foldTimeline = foldTimeline;
})();
