// The annual report's "Print / save as PDF" button: the browser's own print (its "Save as PDF" destination makes the PDF; ADR 0045).
document.querySelectorAll('[data-print]').forEach(button => button.addEventListener('click', () => window.print()));
