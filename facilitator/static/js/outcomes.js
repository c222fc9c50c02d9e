// Measures over time: draws the group's and each participant's PHQ-9 and mood charts from the
// JSON the page names in data-src. The same numbers are in the page's tables.
import "../vendor/chart.umd.min.js";

const { Chart } = globalThis;
const PHQ9_MAX = 27;
const BAND_FILL = {
  minimal: "rgba(56, 142, 60, 0.13)",
  mild: "rgba(251, 192, 45, 0.18)",
  moderate: "rgba(245, 124, 0, 0.16)",
  moderately_severe: "rgba(211, 47, 47, 0.15)",
  severe: "rgba(136, 14, 79, 0.18)",
};
const COLOURS = { phq9: "#1f4e8c", mood: "#b35c00", mean: "#6b6b6b" };

// Shades the PHQ-9 severity bands behind the lines (bands end half-way between whole totals).
const severityBands = {
  id: "severityBands",
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    const axis = scales.phq9;
    ctx.save();
    for (const band of options.bands || []) {
      const top = axis.getPixelForValue(Math.min(band.high + 0.5, PHQ9_MAX));
      const bottom = axis.getPixelForValue(Math.max(band.low - 0.5, 0));
      ctx.fillStyle = BAND_FILL[band.name] || "transparent";
      ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
    }
    ctx.restore();
  },
};

function line(label, data, axis, colour, dash = []) {
  return {
    label, data, yAxisID: axis, borderColor: colour, backgroundColor: colour,
    borderDash: dash, borderWidth: 2, pointRadius: 3, spanGaps: true, tension: 0,
  };
}

function options(bands) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    scales: {
      x: { title: { display: true, text: "Session" } },
      phq9: {
        type: "linear", position: "left", min: 0, max: PHQ9_MAX,
        title: { display: true, text: "PHQ-9" },
        afterBuildTicks: (axis) => {
          axis.ticks = [0, 5, 10, 15, 20, 27].map((value) => ({ value }));
        },
      },
      mood: {
        type: "linear", position: "right", min: 0, max: 10,
        title: { display: true, text: "Mood" }, grid: { drawOnChartArea: false },
      },
    },
    plugins: {
      severityBands: { bands },
      legend: { labels: { boxWidth: 14, boxHeight: 2 } },
    },
  };
}

function draw(canvas, labels, datasets, bands) {
  return new Chart(canvas, {
    type: "line", data: { labels, datasets }, options: options(bands), plugins: [severityBands],
  });
}

function drawAll(root, data) {
  const labels = data.sessions.map(String);
  const group = root.querySelector('canvas[data-series="group"]');
  if (group) {
    draw(group, labels, [
      line("Mean PHQ-9", data.group.phq9, "phq9", COLOURS.phq9),
      line("Mean mood", data.group.mood, "mood", COLOURS.mood, [6, 4]),
    ], data.bands);
  }
  for (const person of data.participants) {
    const canvas = root.querySelector(`canvas[data-participant-id="${person.id}"]`);
    if (!canvas) continue;
    draw(canvas, labels, [
      line("PHQ-9", person.phq9, "phq9", COLOURS.phq9),
      line("Mood", person.mood, "mood", COLOURS.mood, [6, 4]),
      line("Group mean PHQ-9", data.group.phq9, "phq9", COLOURS.mean, [2, 3]),
    ], data.bands);
  }
}

async function main() {
  const root = document.getElementById("outcome-charts");
  if (!root) return;
  try {
    const response = await fetch(root.dataset.src, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    drawAll(root, await response.json());
    root.dataset.state = "drawn";
  } catch (error) {
    root.dataset.state = "failed";
    document.querySelector(".chart-problem")?.removeAttribute("hidden");
    throw error;
  }
}

main();
