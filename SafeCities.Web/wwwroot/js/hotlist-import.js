// Hotlist import: start a staged import, send the file in chunks (the bar follows the server's validation of each chunk, and every
// rejected line is listed with its reason), then commit: the list's entries are replaced in one transaction.
(() => {
  const sc = window.safecities;
  const list = document.getElementById('import-hotlist');
  let importId = null;
  const post = async (url) => {
    const r = await sc.request(url, { method: 'POST' });
    if (!r.ok) throw new Error(await sc.problemText(r));
    return r.json();
  };
  sc.csvImport({
    precheck: () => list.value ? null : 'Create a list first.',
    begin: async () => { importId = (await post(`/api/v1/plates/hotlists/${encodeURIComponent(list.value)}/imports`)).importId; },
    url: () => `/api/v1/plates/hotlists/imports/${importId}/lines`,
    finish: async () => {
      const r = await post(`/api/v1/plates/hotlists/imports/${importId}/commit`);
      document.getElementById('import-result').dataset.imported = r.imported;
      // The list's row on the page follows: its count (an import replaces the list, so its active entries are what was imported) and
      // the time it was imported.
      const row = r.imported > 0 ? document.querySelector(`#hotlists tr[data-hotlist-id="${CSS.escape(list.value)}"]`) : null;
      if (row) {
        row.querySelector('.entries-count').textContent = String(r.imported);
        row.querySelector('.imported-at').replaceChildren(sc.timeElement(r.importedAt, 'datetime'));
      }
      return r.imported === 0 ? 'Nothing was good, so the list is unchanged.'
        : `The list now holds ${r.imported} ${r.imported === 1 ? 'entry' : 'entries'} (replacing ${r.replaced}); ${sc.plural(r.retroactiveHits, 'hit')} found in past reads.`;
    },
    summary: (t, rejected) => `Accepted ${sc.plural(t.accepted || 0, 'line')}; ${sc.plural(rejected, 'line')} rejected`,
  });
})();
