// The programme report's charts: each <canvas data-chart="ID"> draws the JSON data block #ID.
// The table beside every chart holds the same figures, so the page says everything without this file.
(function () {
  "use strict";

  if (typeof window.Chart !== "function") return;

  // One colour per star level, dark enough to tell apart on the page's paper colour.
  var STAR_COLOURS = { 3: "#c7822b", 4: "#7a1f12", 5: "#1d5e3a" };
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var horizontal = Boolean(data.horizontal);
    var valueAxis = {
      stacked: true,
      beginAtZero: true,
      ticks: { precision: 0 },
      title: { display: true, text: data.axis },
    };
    var labelAxis = { stacked: true, ticks: { autoSkip: false } };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: STAR_COLOURS[set.stars],
            borderWidth: 0,
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        plugins: { legend: { position: "bottom" } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
    canvas.dataset.drawn = "true";
  });
})();
