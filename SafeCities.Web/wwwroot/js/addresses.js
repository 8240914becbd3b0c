// Address points: the CSV import posts the file in chunks with a progress bar and a per-line report (the streetlight import's mechanism).
(() => {
  const sc = window.safecities;
  sc.csvImport({
    url: () => '/api/v1/addresses/import',
    summary: (t, rejected) => `Imported ${sc.plural(t.imported || 0, 'address point')}; ${sc.plural(rejected, 'line')} rejected`,
    done: t => {
      const count = document.getElementById('address-count');
      count.textContent = String(parseInt(count.textContent, 10) + (t.imported || 0));
    },
  });
})();
