// Confirm or reject a hotlist hit (ADR 0043): the form's "decision:reason" choice and notes go to the API; the page then shows the decision.
(() => {
  const sc = window.safecities;
  // Listened for on the document: the incident page draws the section again when someone else decides (incident-detail.js).
  document.addEventListener('submit', async e => {
    const form = e.target.closest('form.hit-decision-form');
    if (!form) return;
    e.preventDefault();
    const status = form.querySelector('.hit-decision-status');
    const [decision, reason] = (form.elements.reason.value || ':').split(':');
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const r = await sc.request(`/api/v1/plates/hits/${encodeURIComponent(form.dataset.hitId)}/decision`,
        { method: 'POST', json: { decision, reason, notes: form.elements.notes.value || null } });
      if (r.ok) { location.reload(); return; }
      status.textContent = await sc.problemText(r);
    } catch (err) {
      status.textContent = `Not sent (offline): ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
})();
