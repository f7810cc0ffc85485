// Program form: show the fields the chosen tier needs, and suggest the seed programme's usual age limit (40).
(function () {
  var tier = document.getElementById('tier');
  if (!tier) return;
  var maxAge = document.getElementById('maxAge');
  var lastTier = tier.value;
  function toggle(selector, shown) {
    document.querySelectorAll(selector).forEach(function (el) { el.classList.toggle('d-none', !shown); });
  }
  function update(changed) {
    toggle('.programs-custom-tier', tier.value === 'custom');
    toggle('.programs-cohort-only', tier.value !== 'contest');
    toggle('.programs-contest-only', tier.value === 'contest');
    if (maxAge && changed) {
      if (tier.value === 'seed' && maxAge.value === '') maxAge.value = '40';
      else if (lastTier === 'seed' && tier.value !== 'seed' && maxAge.value === '40') maxAge.value = '';
    }
    lastTier = tier.value;
  }
  tier.addEventListener('change', function () { update(true); });
  update(false);
})();
