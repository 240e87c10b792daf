/**
 * `npm run bench:evaluation-grid [-- --rows 1000 --targets 4 --iterations 50]`: what the results
 * page does with a whole evaluation each time it refreshes — read the detail at the boundary
 * (`evaluationDetailSchema`), lay out the rows × targets grid (`gridRows`), the summary lines and
 * the chart points — for 1,000 rows × 4 targets (4,000 cells with realistic outputs and
 * assertion results), in this process. Scrolling itself only re-renders the rows in view
 * (`visibleRows`; the e2e spec checks fewer than 40 rows are in the DOM), so this preparation is
 * the work that grows with the evaluation. Goal: the layout ≤ 16 ms median (one frame at 60 Hz); reading the answer is
 * reported apart, since the browser spends it in `response.json()` whatever the page does.
 */
import { parseArgs } from "node:util";
import {
  chartPoints,
  evaluationDetailSchema,
  gridRows,
  summaryLines,
  visibleRows,
} from "../lib/ui/evaluation-view";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000" },
    targets: { type: "string", default: "4" },
    iterations: { type: "string", default: "50" },
  },
});
const rows = Number(values.rows);
const targets = Number(values.targets);
const iterations = Number(values.iterations);

const output =
  "**Simulated answer** from `demo:chat` — a paragraph of a few hundred characters, as a short model answer would be. ".repeat(
    3,
  );
const detail = {
  status: "done",
  progress: { done: rows * targets, total: rows * targets, costUsd: 1.23, etaMs: null },
  samples: 1,
  targets: Array.from({ length: targets }, (_, index) => ({
    index,
    model: `openai:model-${index}`,
    passRate: 0.7,
    latencyMs: { mean: 800, std: 120 },
    outputTokens: { mean: 140, std: 20 },
    costUsd: { total: 0.5, meanPerRow: 0.0005, unpricedCells: 0 },
    errors: 0,
    judgeCostUsd: 0,
    meanJudgeScore: null,
    disagreement: null,
  })),
  rows: Array.from({ length: rows }, (_, row) => ({
    row,
    prompt: `What is the capital of country number ${row}? Answer in one word.`,
    expected: `City ${row}`,
  })),
  cells: Array.from({ length: rows * targets }, (_, index) => {
    const passed = index % 3 !== 0;
    return {
      row: Math.floor(index / targets),
      target: index % targets,
      sample: 0,
      callId: `call-${index}`,
      status: "ok",
      output,
      passed,
      assertions: [
        { type: "contains", passed, detail: passed ? "found the city" : "the city is missing" },
        { type: "max-latency-ms", passed: true, detail: "812 ms ≤ 2000 ms" },
      ],
      latencyMs: 812,
      outputTokens: 140,
      costUsd: 0.0005,
      error: null,
      judgeScore: null,
      judgeCallId: null,
      judgeCostUsd: null,
    };
  }),
  nextCursor: null,
};
const wire = JSON.stringify(detail);

/** Reading the answer (JSON and the boundary schema) and laying it out, timed apart. */
function once(): { read: number; layout: number } {
  const started = performance.now();
  const parsed = evaluationDetailSchema.parse(JSON.parse(wire));
  const read = performance.now();
  const grid = gridRows(parsed);
  summaryLines(parsed.targets, 1);
  chartPoints(parsed.targets, "pass-rate");
  visibleRows({ scrollTop: 20_000, viewportHeight: 560, rowHeight: 76, count: grid.length });
  return { read: read - started, layout: performance.now() - read };
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

for (let warmup = 0; warmup < 3; warmup += 1) once();
const runs = Array.from({ length: iterations }, once);
const read = median(runs.map((run) => run.read));
const layout = median(runs.map((run) => run.layout));
console.log(
  `${rows} rows × ${targets} targets (${rows * targets} cells, ${(wire.length / 1e6).toFixed(1)} MB of JSON), median of ${iterations}: read (JSON + schema) ${read.toFixed(1)} ms, layout (grid + summary + chart + window) ${layout.toFixed(1)} ms`,
);
console.log(`layout ${layout.toFixed(1)} ms median`);
