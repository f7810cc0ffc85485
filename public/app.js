// htmx requests carry the session's CSRF token, read from the page's meta tag (htmx 4: `htmx:config:request`).
document.addEventListener('htmx:config:request', (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const request = event.detail && event.detail.ctx && event.detail.ctx.request;
  if (meta && request && request.headers) request.headers['X-CSRF-Token'] = meta.getAttribute('content');
});
