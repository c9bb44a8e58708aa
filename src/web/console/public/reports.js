// Reports: ECharts (served by the console from node_modules) over the JSON the page carries.
(() => {
  'use strict';
  const source = document.getElementById('report-data');
  if (!source || !window.echarts) return;
  const d = JSON.parse(source.textContent);
  const palette = ['#07A35A', '#2563EB', '#F59E0B', '#DC2626', '#7C3AED', '#0891B2', '#DB2777', '#65A30D', '#EA580C', '#4F46E5', '#0D9488', '#6B7280'];
  const base = { color: palette, textStyle: { fontFamily: getComputedStyle(document.body).fontFamily }, grid: { left: 40, right: 16, top: 40, bottom: 30, containLabel: true }, tooltip: { trigger: 'axis' } };
  const charts = [];
  const draw = (name, option) => {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (!el) return;
    const chart = window.echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({ ...base, ...option });
    charts.push(chart);
  };
  const months = d.months || [];

  const cats = [...new Set(d.needsByCategoryMonth.map((r) => r.category))];
  draw('needs', {
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', minInterval: 1 },
    series: cats.map((c) => ({
      name: d.categories[c] || c,
      type: 'bar',
      stack: 'needs',
      data: months.map((m) => d.needsByCategoryMonth.find((r) => r.month === m && r.category === c)?.count || 0),
    })),
  });

  draw('projects', {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['42%', '70%'], center: ['50%', '45%'], label: { formatter: '{b}: {c}' }, data: d.projectsByStatus.map((r) => ({ name: d.statusLabels[r.status] || r.status, value: r.count })) }],
  });

  draw('hours', {
    legend: { top: 0 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value' },
    series: [
      { name: d.labels.approved, type: 'bar', data: d.hoursByMonth.map((r) => r.approved) },
      { name: d.labels.pending, type: 'bar', data: d.hoursByMonth.map((r) => r.pending) },
    ],
  });

  draw('attendance', {
    legend: { top: 0 },
    xAxis: { type: 'category', data: months },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [
      { name: d.labels.expected, type: 'bar', data: d.attendanceByMonth.map((r) => r.expected), itemStyle: { color: '#CBD5E1' } },
      { name: d.labels.attended, type: 'bar', data: d.attendanceByMonth.map((r) => r.attended) },
      { name: d.labels.rate, type: 'line', yAxisIndex: 1, connectNulls: true, data: d.attendanceByMonth.map((r) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10)) },
    ],
  });

  draw('ratings', {
    xAxis: { type: 'category', data: d.ratings.map((r) => '★'.repeat(r.rating)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: d.labels.count, type: 'bar', data: d.ratings.map((r) => r.count), itemStyle: { color: '#F59E0B' } }],
  });

  draw('communities', {
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.perCommunity.map((c) => c.name), axisLabel: { interval: 0, rotate: d.perCommunity.length > 6 ? 30 : 0 } },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value' }],
    series: [
      { name: d.labels.needs, type: 'bar', data: d.perCommunity.map((c) => c.needs) },
      { name: d.labels.hours, type: 'bar', yAxisIndex: 1, data: d.perCommunity.map((c) => c.approvedHours) },
    ],
  });

  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  window.addEventListener('beforeprint', () => charts.forEach((c) => c.resize()));
})();
