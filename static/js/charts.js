// Bar charts drawn from data on the page: each <canvas data-chart="ID"> draws the JSON data block #ID,
// {labels, datasets: [{label, tone, data}], horizontal, axis}. Used by the office's programme report and
// the public "OCOP in figures" page. A table beside every chart holds the same figures, so the page says
// everything without this file (or without Chart.js).
(function () {
  "use strict";

  if (typeof window.Chart !== "function") return;

  // One colour per tone, dark enough to tell apart on the page's paper colour: the star levels, and what
  // became of a year's certificates.
  var TONES = {
    "3": "#c7822b", "4": "#7a1f12", "5": "#1d5e3a",
    valid: "#1d5e3a", expired: "#9b8f84", revoked: "#7a1f12",
  };
  // A long label (a group's name) is cut into lines at spaces so a phone's narrow chart keeps its bars.
  var LINE_LENGTH = 18;
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function lines(label) {
    if (typeof label !== "string" || label.length <= LINE_LENGTH) return label;
    var result = [];
    var line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > LINE_LENGTH) {
        result.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) result.push(line);
    return result;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // Shown before drawing: Chart.js sizes the chart from its box, which a hidden figure does not have.
    var figure = canvas.closest("figure");
    if (figure) figure.hidden = false;
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
        labels: data.labels.map(lines),
        datasets: data.datasets.map(function (set) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: TONES[set.tone],
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
