// Draws the reports page's charts from the figures the server put on each canvas, so a chart and the table beside it
// always show the same numbers. data-chart holds { type: bar|line, unit: money|percent|count, stacked, currency,
// labels, datasets: [{ label, data }] }; money is in major units, written as the desk writes it ("50.00 USD").
(function () {
  'use strict';
  var palette = ['#6b3fa0', '#1b7a3a', '#d9a441', '#e0607e', '#2f7fc1', '#a86200', '#4bb3a8', '#8c6bc8', '#b00020', '#999999'];

  function formatter(chart) {
    return function (value, axis) {
      if (chart.unit === 'money') {
        return axis ? String(value) : Number(value).toFixed(2) + ' ' + chart.currency;
      }
      if (chart.unit === 'percent') {
        return (Math.round(value * 100) / 100) + '%';
      }
      return String(value);
    };
  }

  function axisTitle(chart) {
    return chart.unit === 'money' ? chart.currency : chart.unit === 'percent' ? '%' : '';
  }

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var chart = JSON.parse(canvas.dataset.chart);
    var format = formatter(chart);
    chart.datasets.forEach(function (set, i) {
      var colour = palette[i % palette.length];
      set.backgroundColor = colour;
      set.borderColor = colour;
      if (chart.type === 'line') {
        set.tension = 0.2;
        set.pointRadius = 2;
      }
    });
    var ticks = { callback: function (value) { return format(value, true); } };
    if (chart.unit === 'count') {
      ticks.precision = 0;
    }
    canvas.chart = new window.Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: chart.datasets.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + format(item.parsed.y, false); } } }
        },
        scales: {
          x: { stacked: chart.stacked },
          y: { stacked: chart.stacked, beginAtZero: true, ticks: ticks, title: { display: axisTitle(chart) !== '', text: axisTitle(chart) } }
        }
      }
    });
  });
})();
