// Draws the reports page's charts from the figures the server put on each canvas (data-chart), so the chart and the
// table beside it always show the same numbers.
(function () {
  'use strict';
  var colours = { PendingPayment: '#a86200', Active: '#1b7a3a', Paused: '#d9a441', PastDue: '#e0607e', Suspended: '#b00020', Cancelled: '#999999' };
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var data = JSON.parse(canvas.dataset.chart);
    data.datasets.forEach(function (set) { set.backgroundColor = colours[set.status] || '#6b3fa0'; });
    canvas.chart = new window.Chart(canvas, {
      type: 'bar',
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
