// The grading page's keys: j/→ next learner, k/← previous, 1–9 the level of the current criterion
// (then the next criterion becomes current), Ctrl+Enter saves and opens the next learner.
// The page works without this script; it only adds the keys and the running total.
(() => {
  const form = document.getElementById('grade-form');
  if (!form) return;
  const criteria = Array.from(form.querySelectorAll('[data-criterion]'));
  let current = 0;

  const setCurrent = (index) => {
    if (!criteria.length) return;
    current = Math.max(0, Math.min(criteria.length - 1, index));
    criteria.forEach((c, i) => c.classList.toggle('is-current', i === current));
  };
  const firstUnmarked = criteria.findIndex((c) => c.querySelector('input[type=radio]') && !c.querySelector('input[type=radio]:checked'));
  setCurrent(firstUnmarked >= 0 ? firstUnmarked : 0);
  criteria.forEach((c, i) => c.addEventListener('focusin', () => setCurrent(i)));

  const total = form.querySelector('[data-total]');
  const updateTotal = () => {
    if (!total) return;
    let sum = 0;
    form.querySelectorAll('input[type=radio][data-points]:checked').forEach((r) => { sum += Number(r.dataset.points); });
    form.querySelectorAll('input[data-guide-points]').forEach((i) => { const n = Number(i.value); if (i.value !== '' && Number.isFinite(n)) sum += n; });
    total.textContent = String(Math.round(sum * 100) / 100);
  };
  form.addEventListener('input', updateTotal);
  form.addEventListener('change', updateTotal);

  const typing = (el) => el && (el.tagName === 'TEXTAREA' || el.isContentEditable
    || (el.tagName === 'INPUT' && !['radio', 'checkbox', 'button', 'submit'].includes(el.type)) || el.tagName === 'SELECT');
  const go = (rel) => {
    const link = document.querySelector(`[data-nav="${rel}"]`);
    if (link) window.location.assign(link.href);
  };

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      const button = form.querySelector('[data-save-next]');
      if (button) { event.preventDefault(); form.requestSubmit(button); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) return;
    const onRadio = document.activeElement && document.activeElement.type === 'radio';
    if (event.key === 'j' || (event.key === 'ArrowRight' && !onRadio)) { event.preventDefault(); go('next'); return; }
    if (event.key === 'k' || (event.key === 'ArrowLeft' && !onRadio)) { event.preventDefault(); go('prev'); return; }
    if (/^[1-9]$/.test(event.key) && criteria.length) {
      const radio = criteria[current].querySelector(`input[type=radio][data-key="${event.key}"]`);
      if (!radio) return;
      event.preventDefault();
      radio.checked = true;
      radio.dispatchEvent(new Event('change', { bubbles: true }));
      setCurrent(current + 1);
    }
  });
})();
