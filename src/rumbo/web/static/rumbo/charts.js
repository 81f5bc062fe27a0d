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

  // Honest rate charts (metrics.md): a series may carry, per point, its count
  // in words, whether it rests on enough data and its 95 % interval. Points
  // on too little data are drawn hollow with pale dashed joins; the
  // current month, still under way, is dashed and labelled "so far".
  const few = (s, i) => s.enough && s.enough[i] === false;

  function partialLabels(data) {
    const labels = dateLabels(data.labels);
    if (data.partial && labels.length) {
      const w = data.words || {};
      labels[labels.length - 1] += " (" + (w.partial || "…") + ")";
    }
    return labels;
  }

  function translucent(hex, alpha) {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!m) return hex;
    return `rgba(${parseInt(m[1], 16)},${parseInt(m[2], 16)},${parseInt(m[3], 16)},${alpha})`;
  }

  function rateTooltip(data) {
    const w = data.words || {};
    const lang = document.documentElement.lang || undefined;
    const fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    return {
      callbacks: {
        label: (item) => {
          const s = data.series[item.datasetIndex];
          const i = item.dataIndex;
          let text = `${s.label}: ${item.raw === null ? "—" : fmt.format(item.raw)}`;
          if (s.count_words) text += ` (${s.count_words[i]})`;
          if (few(s, i)) text += ` — ${w.few}`;
          else if (s.intervals && s.intervals[i]) {
            text += ` · ${w.interval} ${fmt.format(s.intervals[i][0])}–${fmt.format(s.intervals[i][1])}`;
          }
          return text;
        },
      },
    };
  }

  // Whiskers: each point's 95 % interval as a thin vertical line.
  const whiskers = {
    id: "rumboWhiskers",
    afterDatasetsDraw(chart) {
      const { ctx, scales } = chart;
      chart.data.datasets.forEach((ds, d) => {
        if (!ds.intervals || !chart.isDatasetVisible(d)) return;
        const meta = chart.getDatasetMeta(d);
        const axis = scales[ds.yAxisID || "y"];
        const area = chart.chartArea;
        ctx.save();
        ctx.beginPath();  // never draw outside the plot (over the axis labels)
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        ctx.lineWidth = 1;
        meta.data.forEach((point, i) => {
          const band = ds.intervals[i];
          if (!band || ds.data[i] === null) return;
          const top = axis.getPixelForValue(band[1]);
          const bottom = axis.getPixelForValue(band[0]);
          ctx.strokeStyle = translucent(ds.rumboColour, 0.45);
          ctx.beginPath();
          ctx.moveTo(point.x, top); ctx.lineTo(point.x, bottom);
          ctx.moveTo(point.x - 3, top); ctx.lineTo(point.x + 3, top);
          ctx.moveTo(point.x - 3, bottom); ctx.lineTo(point.x + 3, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  const RATES = ["percent", "points", "per100"];

  function rateScale(data) {
    if (!data.series.length || !data.series.every((s) => RATES.includes(s.unit))) return {};
    // Low enough for every whisker too (an NPS interval may reach below zero).
    const lows = data.series.flatMap((s) => (s.intervals || []).filter(Boolean).map((b) => b[0]));
    return { y: { suggestedMin: Math.min(0, ...lows), suggestedMax: 100 } };
  }

  function lines(canvas, data) {
    const last = data.labels.length - 1;
    return {
      type: "line",
      data: {
        labels: partialLabels(data),
        datasets: data.series.map((s, i) => {
          const c = PALETTE[i % PALETTE.length];
          const hollow = (k) => few(s, k) || (data.partial && k === last);
          return {
            label: s.label, data: s.values, borderColor: c, backgroundColor: c,
            spanGaps: true, tension: 0, yAxisID: s.axis || "y",  // straight: a curve invents values
            rumboColour: c, intervals: s.intervals,
            pointRadius: 4,
            pointBackgroundColor: s.values.map((v, k) => (hollow(k) ? "#fff" : c)),
            pointBorderColor: c,
            // Joins to a thin or unfinished month: dashed and pale, still in the
            // series' colour so that the lines stay told apart.
            segment: {
              borderDash: (ctx) => (hollow(ctx.p0DataIndex) || hollow(ctx.p1DataIndex) ? [4, 4] : undefined),
              borderColor: (ctx) => (few(s, ctx.p0DataIndex) || few(s, ctx.p1DataIndex)
                ? translucent(c, 0.45) : undefined),
            },
          };
        }),
      },
      options: { animation: false, maintainAspectRatio: false,
                 interaction: { mode: "index", intersect: false },
                 // Rates on their whole scale (0–100 %, NPS down to −100 when
                 // negative): a run of 100 % must not look like a wild swing.
                 scales: rateScale(data),
                 plugins: { tooltip: rateTooltip(data) } },
      plugins: [whiskers],
    };
  }

  function bars(canvas, data) {
    const last = data.labels.length - 1;
    return {
      type: "bar",
      data: {
        labels: data.partial ? partialLabels(data) : dateLabels(data.labels),
        datasets: data.series.map((s, i) => {
          const c = PALETTE[i % PALETTE.length];
          // The month under way, or a rate on too little data: a pale bar
          // with a full-colour outline.
          const partial = (k) => (data.partial && k === last) || few(s, k);
          return {
            label: s.label, data: s.values,
            backgroundColor: s.values.map((v, k) => (partial(k) ? translucent(c, 0.3) : c)),
            borderColor: c, borderWidth: s.values.map((v, k) => (partial(k) ? 2 : 0)),
          };
        }),
      },
      options: { animation: false, maintainAspectRatio: false, indexAxis: data.horizontal ? "y" : "x",
                 plugins: data.series.some((s) => s.count_words) ? { tooltip: rateTooltip(data) } : {} },
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
