// Hotlist import: uploads the CSV with a progress bar, then shows the counts and every rejected line with its reason.
(() => {
  const token = document.querySelector('input[name="__RequestVerificationToken"]')?.value;
  for (const form of document.querySelectorAll('form.hotlist-import')) {
    form.addEventListener('submit', e => {
      e.preventDefault();
      const cell = form.parentElement;
      const bar = cell.querySelector('.progress'), fill = bar.querySelector('.progress-bar'), out = cell.querySelector('.import-result');
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/plates/hotlists/${form.dataset.hotlistId}/import`);
      if (token) xhr.setRequestHeader('RequestVerificationToken', token);
      bar.classList.remove('d-none');
      out.textContent = '';
      xhr.upload.onprogress = p => { if (p.lengthComputable) fill.style.width = `${Math.round(90 * p.loaded / p.total)}%`; };
      xhr.onload = () => {
        fill.style.width = '100%';
        if (xhr.status !== 200) { out.textContent = `Import refused (${xhr.status}): ${xhr.responseText}`; return; }
        const r = JSON.parse(xhr.responseText);
        out.textContent = `${r.imported} of ${r.lines} lines imported (replacing ${r.replaced}); ${r.retroactiveHits} hit(s) in past reads; ${r.rejected.length} rejected.`;
        if (r.rejected.length) {
          const list = document.createElement('ul');
          for (const x of r.rejected.slice(0, 200)) list.appendChild(Object.assign(document.createElement('li'), { textContent: `line ${x.line}: ${x.reason}` }));
          out.appendChild(list);
        }
      };
      xhr.onerror = () => { out.textContent = 'Upload failed.'; };
      xhr.send(new FormData(form));
    });
  }
})();
