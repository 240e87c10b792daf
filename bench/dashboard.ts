/**
 * `npm run bench:dashboard [-- --calls 1000000 --days 90 --iterations 25]`: seeds a fresh
 * SQLite file with recorded calls (20 models, spread over `days` days up to now; see
 * `dashboard-seed.ts`), through the real migrations and triggers, then measures in this
 * process:
 *
 * - `GET /api/usage` for the last 30 days, grouped by day, by model and by provider: the route
 *   handler itself called with a `Request`, body read to the end (JSON included);
 * - the server render of `/usage` (its default 30-day view): `loadUsageDashboard`, which the
 *   page awaits (rollup reads and every preparer), then `renderToString` of the component
 *   tree the page returns. What it leaves out: Next's own request handling, the RSC payload
 *   and the network. The charts are client-only (loaded after the page), so they are not
 *   part of any server render.
 *
 * Each figure is the median (and p95) of `iterations` runs after two warm-up runs. The last
 * line is the median of the slowest item. Goal: ≤ 100 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { register } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

// `server-only` throws outside a React Server Components bundle; this process imports server
// modules directly (as the tests do), while React itself must load its ordinary build for
// `react-dom/server`. So only that one module is replaced, before anything imports it.
register(
  `data:text/javascript,${encodeURIComponent(
    'export async function resolve(specifier, context, next) { if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true }; return next(specifier, context); }',
  )}`,
);

const GOAL_MS = 100;
const DAY_MS = 86_400_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function percentile(sorted: number[], quantile: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] ?? Number.NaN;
}

interface Measurement {
  name: string;
  median: number;
  p95: number;
}

async function measure(options: {
  name: string;
  iterations: number;
  run: () => unknown;
}): Promise<Measurement> {
  for (let warmUp = 0; warmUp < 2; warmUp++) await options.run();
  const times: number[] = [];
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const started = performance.now();
    await options.run();
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  const result = {
    name: options.name,
    median: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  };
  console.log(
    `${result.name}: median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`,
  );
  return result;
}

async function main(): Promise<void> {
  const calls = argument("calls", 1_000_000);
  const days = argument("days", 90);
  const iterations = argument("iterations", 25);

  const { createDatabase, closeDatabase, getDb } = await import("../lib/db/client");
  const { listPriceOverrides } = await import("../lib/db/queries");
  const { seedDashboardDatabase } = await import("./dashboard-seed");

  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-dashboard-"));
  const file = path.join(directory, "bench.db");
  try {
    const now = new Date();
    const seeding = createDatabase({ url: `file:${file}` });
    const seedStarted = performance.now();
    const seeded = seedDashboardDatabase({
      database: seeding,
      calls,
      days,
      now,
      overrides: listPriceOverrides({ database: seeding }),
    });
    // Statistics for the query planner, as a long-lived database would have after an
    // `ANALYZE` or `PRAGMA optimize`; the plans below do not depend on them.
    seeding.sqlite.pragma("optimize");
    console.log(
      `seeded ${seeded.calls.toLocaleString("en-US")} calls in ${seeded.runs.toLocaleString("en-US")} runs over ${days} days (${((performance.now() - seedStarted) / 1000).toFixed(1)} s, rollups kept per batch)`,
    );
    closeDatabase(seeding);

    // The app's own connection, opened the way the server opens it.
    process.env.DATABASE_URL = `file:${file}`;
    getDb();
    const { GET } = await import("../app/api/usage/route");
    const { loadUsageDashboard } = await import("../lib/reports/usage-dashboard");
    const { UsageDashboard } = await import("../components/usage/usage-dashboard");
    const { AppRouterContext } = await import(
      "next/dist/shared/lib/app-router-context.shared-runtime"
    );
    const { createElement } = await import("react");
    const { renderToString } = await import("react-dom/server");

    const to = now.toISOString();
    const from = new Date(now.getTime() - 30 * DAY_MS).toISOString();
    const measurements: Measurement[] = [];
    for (const groupBy of ["day", "model", "provider"]) {
      const url = `http://127.0.0.1/api/usage?from=${from}&to=${to}&groupBy=${groupBy}`;
      measurements.push(
        await measure({
          name: `GET /api/usage 30 days by ${groupBy}`,
          iterations,
          run: async () => {
            const response = await GET(new Request(url));
            if (!response.ok) throw new Error(`GET /api/usage answered ${response.status}`);
            await response.text();
          },
        }),
      );
    }

    // `useRouter` needs the app router's context; navigation never happens during a render.
    const router = {
      back() {},
      forward() {},
      refresh() {},
      push() {},
      replace() {},
      prefetch() {},
    };
    let html = "";
    let callsShown = "";
    const renderPage = () => {
      const view = loadUsageDashboard({ searchParameters: { range: "30d" }, now: new Date() });
      callsShown = String(view.totals.calls);
      html = renderToString(
        createElement(
          AppRouterContext.Provider,
          { value: router as never },
          createElement(UsageDashboard, { view }),
        ),
      );
    };
    measurements.push(
      await measure({
        name: "/usage 30 days: load (rollups + preparers)",
        iterations,
        run: () => loadUsageDashboard({ searchParameters: { range: "30d" }, now: new Date() }),
      }),
    );
    const page = await measure({
      name: "/usage 30 days: server render (load + renderToString)",
      iterations,
      run: renderPage,
    });
    measurements.push(page);
    console.log(
      `  the rendered page shows ${Number(callsShown).toLocaleString("en-US")} calls in ${(html.length / 1024).toFixed(0)} KiB of HTML`,
    );

    const slowest = measurements.reduce((worst, item) =>
      item.median > worst.median ? item : worst,
    );
    console.log(
      `slowest: ${slowest.name} (goal ≤ ${GOAL_MS} ms: ${slowest.median <= GOAL_MS ? "met" : "NOT met"})`,
    );
    console.log(`median ${slowest.median.toFixed(1)} ms`);
    closeDatabase(getDb());
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
