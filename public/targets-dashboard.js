// Title coverage chart: covered and uncovered kindergartens per town or per group, drawn by ECharts from the page's data.
(function () {
  const box = document.getElementById('coverage-chart');
  if (!box || !window.echarts) return;
  const data = JSON.parse(box.getAttribute('data-chart') || '{}');
  const labels = { covered: box.getAttribute('data-label-covered'), uncovered: box.getAttribute('data-label-uncovered') };
  let chart = null;
  let current = 'byTown';

  function draw() {
    if (!chart) return;
    const rows = data[current] || [];
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: labels.covered, type: 'bar', stack: 'all', itemStyle: { color: '#198754' }, data: rows.map((r) => r.covered) },
        { name: labels.uncovered, type: 'bar', stack: 'all', itemStyle: { color: '#dc3545' }, data: rows.map((r) => r.uncovered) },
      ],
    }, true);
  }

  document.querySelectorAll('[data-chart-series]').forEach((button) => {
    button.addEventListener('click', () => {
      current = button.getAttribute('data-chart-series');
      document.querySelectorAll('[data-chart-series]').forEach((b) => b.classList.toggle('active', b === button));
      draw();
    });
  });
  // Hidden behind a toggle on phones: the chart is drawn once its box has a size, and follows the box's size after that.
  new ResizeObserver(() => {
    if (!box.clientWidth || !box.clientHeight) return;
    if (chart) return chart.resize();
    chart = window.echarts.init(box, null, { renderer: 'svg' });
    draw();
  }).observe(box);
})();
