// Draws each figure of the transparency page with Chart.js (served by this site) from the
// release's figures, embedded in the page as JSON. The tables beside the charts hold the
// same numbers for screen readers and for anyone without JavaScript.
(function () {
  "use strict";
  var palette = ["#1d4ed8", "#b91c1c", "#047857", "#a16207", "#7c3aed", "#0e7490", "#be185d",
    "#4d7c0f", "#c2410c", "#334155", "#6d28d9", "#15803d", "#9f1239", "#1e40af"];

  function draw(canvas, figure) {
    var stacked = figure.chart === "stacked";
    var datasets = figure.series.map(function (series, i) {
      return {
        label: series.name,
        data: series.values.map(function (v) { return v === null ? null : (figure.percent ? v * 100 : v); }),
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        spanGaps: false,
        tension: 0.2
      };
    });
    return new Chart(canvas, {
      type: figure.chart === "line" ? "line" : "bar",
      data: { labels: figure.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          x: { stacked: stacked },
          y: {
            stacked: stacked,
            beginAtZero: true,
            max: figure.percent ? 100 : undefined,
            title: { display: true, text: figure.percent ? "per cent" : "removals" }
          }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("figures");
    if (!data || typeof Chart === "undefined") { return; }
    var figures = JSON.parse(data.textContent);
    document.querySelectorAll("canvas[data-figure]").forEach(function (canvas) {
      draw(canvas, figures[canvas.dataset.figure]);
    });
  });
}());
