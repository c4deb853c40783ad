// Draws the report page's chart from the figures the page carries as JSON; the tables hold the
// same figures, so the page is whole without this script. Lines differ by dash pattern and
// point marker as well as colour, and the legend names each one with a swatch of its own style.
(function () {
  'use strict';
  var holder = document.getElementById('report-chart');
  var source = document.getElementById('report-chart-data');
  if (!holder || !source || typeof window.uPlot !== 'function') return;
  var data = JSON.parse(source.textContent || '{}');
  var days = data.days || [];
  var series = data.series || [];
  if (days.length === 0) return;
  var colours = ['#1f4e9c', '#b35900', '#2e7d32', '#6a1b9a', '#c62828', '#00695c', '#5d4037'];
  var dashes = [[], [10, 5], [2, 4], [12, 4, 2, 4], [6, 6], [1, 3, 6, 3], [16, 8]];
  var markers = [4, 7, 5, 8, 6, 9, 4];
  // The legend's swatch for each line is a border of its own style, so the legend tells the
  // lines apart in grey as well.
  var swatches = ['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'inset'];
  var xs = days.map(function (d) {
    return Date.parse(d + 'T00:00:00Z') / 1000;
  });
  var options = {
    width: Math.max(320, Math.min(holder.clientWidth || 900, 1100)),
    height: 320,
    tzDate: function (ts) {
      return window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
    },
    scales: {
      x: {
        time: true,
        // The range's own days and half a day either side: left to itself, uPlot stretches a
        // one-day range over years of empty axis, and puts the end days on the frame.
        range: function () {
          return [xs[0] - 43200, xs[xs.length - 1] + 43200];
        },
      },
      // Counts start at zero, so a line's height reads as its size.
      y: {
        range: function (u, min, max) {
          return [0, Math.max(1, max) * 1.1];
        },
      },
    },
    legend: {
      markers: {
        width: 4,
        dash: function (u, i) {
          return swatches[(i - 1) % swatches.length];
        },
      },
    },
    axes: [{ label: 'day (UTC)' }, { label: 'count' }],
    series: [{ label: 'Day' }].concat(
      series.map(function (s, i) {
        return {
          label: s.label,
          stroke: colours[i % colours.length],
          width: 2,
          dash: dashes[i % dashes.length],
          points: { show: true, size: markers[i % markers.length] },
        };
      }),
    ),
  };
  holder.removeAttribute('aria-hidden');
  holder.setAttribute('role', 'img');
  holder.setAttribute(
    'aria-label',
    'Chart of ' +
      series
        .map(function (s) {
          return s.label;
        })
        .join(', ') +
      ' per day',
  );
  new window.uPlot(
    options,
    [xs].concat(
      series.map(function (s) {
        return s.values;
      }),
    ),
    holder,
  );
})();
