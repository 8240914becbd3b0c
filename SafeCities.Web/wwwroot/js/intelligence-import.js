// Intelligence CSV back-load: the file goes in chunks (header repeated) with a progress bar; every rejected line is listed with its reasons.
(() => {
  const sc = window.safecities;
  const agency = document.getElementById('import-agency');
  sc.csvImport({
    url: () => `/api/v1/intelligence/agencies/${encodeURIComponent(agency.value)}/records-csv`,
    precheck: () => agency.value ? null : 'Register the agency first.',
    summary: (t, rejected) => `Accepted ${sc.plural(t.accepted || 0, 'line')} (${t.created || 0} new, ${t.updated || 0} updated); ${sc.plural(rejected, 'line')} rejected`,
  });
})();
