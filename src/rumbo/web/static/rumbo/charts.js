/* Charts drawn with Chart.js from data the page carries in a
   <script type="application/json"> element (no inline script: CSP).
   <canvas data-chart="KIND" data-source="ELEMENT_ID"> picks the drawing. */
(function () {
  "use strict";
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => (css.getPropertyValue(name) || fallback).trim();
  const GREEN = colour("--bs-success", "#198754");
  const BLUE = colour("--bs-primary", "#0d6efd");
  const GREY = colour("--bs-secondary", "#6c757d");
  const AMBER = colour("--bs-warning", "#ffc107");
  const PALETTE = [BLUE, GREEN, AMBER, "#d63384", "#20c997", "#6f42c1", "#fd7e14", GREY];

  // Dates come as ISO text (2026-03-31, or 2026-03 for a month); the axes and
  // tooltips show them the reader's way ("31 mar", "mar 2026" in Spanish).
  const DAY = /^\d{4}-\d{2}-\d{2}$/;
  const MONTH = /^\d{4}-\d{2}$/;

  function dateLabels(labels) {
    const lang = document.documentElement.lang || undefined;
    const day = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" });
    const month = new Intl.DateTimeFormat(lang, { month: "short", year: "numeric", timeZone: "UTC" });
    return (labels || []).map((label) => {
      if (DAY.test(label)) return day.format(new Date(label + "T00:00:00Z"));
      if (MONTH.test(label)) return month.format(new Date(label + "-01T00:00:00Z"));
      return label;
    });
  }

  function words(canvas) {
    return JSON.parse(canvas.dataset.labels || "{}");
  }

  function goalTimeline(canvas, data) {
    const w = words(canvas);
    return {
      type: "line",
      data: {
        labels: dateLabels(data.labels),
        datasets: [
          { label: w.actual, data: data.actual, borderColor: BLUE, backgroundColor: BLUE,
            pointRadius: 0, borderWidth: 2 },
          { label: w.pace, data: data.expected, borderColor: GREY, borderDash: [6, 4],
            pointRadius: 0, borderWidth: 1 },
          { label: w.forecast, data: data.forecast, borderColor: GREEN, borderDash: [2, 3],
            spanGaps: true, pointRadius: 3, borderWidth: 2 },
          { label: w.high, data: data.high, borderColor: "transparent", spanGaps: true,
            pointRadius: 0, fill: false },
          { label: w.band, data: data.low, borderColor: "transparent", spanGaps: true,
            pointRadius: 0, backgroundColor: "rgba(25,135,84,0.15)", fill: "-1" },
          { label: w.milestones, data: data.milestones, showLine: false, pointRadius: 6,
            pointStyle: "rectRot", borderColor: AMBER, backgroundColor: AMBER },
        ],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } },
        plugins: { legend: { labels: { filter: (item) => item.text !== w.high } } },
      },
    };
  }

  function lines(canvas, data) {
    return {
      type: "line",
      data: {
        labels: dateLabels(data.labels),
        datasets: data.series.map((s, i) => ({
          label: s.label, data: s.values, borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length], spanGaps: true, tension: 0.2,
          yAxisID: s.axis || "y",
        })),
      },
      options: { animation: false, maintainAspectRatio: false,
                 interaction: { mode: "index", intersect: false } },
    };
  }

  function bars(canvas, data) {
    return {
      type: "bar",
      data: {
        labels: dateLabels(data.labels),
        datasets: data.series.map((s, i) => ({
          label: s.label, data: s.values, backgroundColor: PALETTE[i % PALETTE.length],
        })),
      },
      options: { animation: false, maintainAspectRatio: false, indexAxis: data.horizontal ? "y" : "x" },
    };
  }

  const KINDS = { "goal-timeline": goalTimeline, lines: lines, bars: bars };

  function draw(root) {
    if (typeof Chart === "undefined") return;
    // Numbers on axes and tooltips in the page's language (1.234,5 in Spanish).
    if (document.documentElement.lang) Chart.defaults.locale = document.documentElement.lang;
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.source);
      const make = KINDS[canvas.dataset.chart];
      if (!source || !make) return;
      canvas.dataset.drawn = "1";
      const chart = new Chart(canvas, make(canvas, JSON.parse(source.textContent)));
      canvas.chart = chart;
    });
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:afterSwap", (event) => draw(event.target));
})();
