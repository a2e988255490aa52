// Draws a project's requests per day (portal/usage_table.html) with Chart.js, served by this
// site: one bar chart per quota family, the daily limit as a line when use nears it, dates on
// the x axis. The tables beside the charts hold the same numbers for screen readers and
// without JavaScript.
(function () {
  "use strict";

  function draw(canvas, family) {
    var days = family.days;
    var most = Math.max.apply(null, days.map(function (d) { return d.requests; }));
    // The limit line once use comes within half of it; below that it would flatten the bars.
    var nearLimit = most >= family.limit / 2;
    var datasets = [
      {
        type: "bar",
        label: "requests",
        data: days.map(function (d) { return d.requests; }),
        backgroundColor: "#1d4ed8"
      }
    ];
    if (nearLimit) {
      datasets.push({
        type: "line",
        label: "daily limit",
        data: days.map(function () { return family.limit; }),
        borderColor: "#b91c1c",
        borderWidth: 1.5,
        borderDash: [6, 4],
        pointRadius: 0
      });
    }
    return new Chart(canvas, {
      data: {
        labels: days.map(function (d) { return d.date.slice(5); }),
        datasets: datasets
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) { return days[items[0].dataIndex].date; },
              afterBody: function (items) {
                return days[items[0].dataIndex].records.toLocaleString("en") + " records";
              }
            }
          }
        },
        scales: {
          x: { title: { display: true, text: "day (UTC)" }, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
          y: {
            beginAtZero: true,
            suggestedMax: nearLimit ? family.limit : Math.max(most, 4),
            ticks: { precision: 0 },
            title: { display: true, text: "requests" }
          }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("usage-history");
    if (!data || typeof Chart === "undefined") { return; }
    var families = {};
    JSON.parse(data.textContent).forEach(function (f) { families[f.family] = f; });
    document.querySelectorAll("canvas[data-family]").forEach(function (canvas) {
      draw(canvas, families[canvas.dataset.family]);
    });
  });
}());
