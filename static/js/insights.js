// Insights: draw each chart from the JSON its template embedded with json_script (CSP-safe:
// no inline script runs; the configuration is inert application/json).
(function () {
  "use strict";

  // Counts are whole numbers: no "0.2 reviews" ticks; every value axis starts at zero.
  function wholeTicks(config) {
    if (config.type === "doughnut" || config.type === "pie") { return; }
    var options = config.options;
    options.scales = options.scales || {};
    var names = Object.keys(options.scales);
    var valueAxis = options.indexAxis === "y" ? "x" : "y";
    if (names.indexOf(valueAxis) < 0) { names.push(valueAxis); }
    names.forEach(function (name) {
      if (name === "x" && valueAxis !== "x") { return; }
      var scale = options.scales[name] = options.scales[name] || {};
      scale.beginAtZero = true;
      scale.ticks = scale.ticks || {};
      if (scale.ticks.precision === undefined) { scale.ticks.precision = 0; }
    });
  }

  function draw(canvas) {
    if (typeof window.Chart === "undefined") { return; }
    var source = document.getElementById(canvas.getAttribute("data-insights-chart"));
    if (!source) { return; }
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    config.options = config.options || {};
    config.options.responsive = true;
    config.options.maintainAspectRatio = true;
    config.options.aspectRatio = config.type === "doughnut" ? 1.6 : 2;
    // A dashboard is read at a glance: draw at once (also keeps screenshots stable).
    config.options.animation = false;
    wholeTicks(config);
    var chart = new window.Chart(canvas, config);
    canvas.setAttribute("data-drawn", "1");
    return chart;
  }

  function drawAll(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-insights-chart]");
    for (var i = 0; i < canvases.length; i += 1) {
      if (!canvases[i].getAttribute("data-drawn")) { draw(canvases[i]); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
})();
