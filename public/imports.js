// /imports/:id: while the dry run or the apply runs, the progress bar, the row counts and the error count follow the job
// (polled from /api/imports/:id once a second); when it ends the page reloads to show the outcome.
(function () {
  const section = document.querySelector('[data-import-progress]');
  if (!section) return;
  const running = ['uploaded', 'validating', 'applying'];
  if (!running.includes(section.dataset.status)) return;
  const id = section.dataset.importId;
  const set = (selector, value) => {
    const el = section.querySelector(selector);
    if (el) el.textContent = String(value);
  };
  let failures = 0;
  async function poll() {
    try {
      const res = await fetch(`/api/imports/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(String(res.status));
      const job = await res.json();
      failures = 0;
      const bar = section.querySelector('[data-progress-bar]');
      if (bar) { bar.value = job.progress.percent; bar.textContent = `${job.progress.percent}%`; }
      set('[data-progress-done]', job.progress.done);
      set('[data-progress-total]', job.progress.total);
      set('[data-progress-errors]', job.errorCount);
      if (job.status !== section.dataset.status && !running.includes(job.status)) {
        window.location.reload();
        return;
      }
      section.dataset.status = job.status;
    } catch {
      failures += 1;
    }
    if (failures < 30) setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
