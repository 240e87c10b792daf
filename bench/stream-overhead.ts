/**
 * bench/stream-overhead: what the playground adds to time to first token, on the server
 * `npm start` runs (Next's own production server, `next start`).
 *
 * A fake OpenAI upstream (its own process) streams a fixed answer with fixed pacing. The app is
 * built into its own directory with one extra route (LOCUS_BENCH_BUILD=1, see
 * `next.config.mjs`; built only when stale) and served by `next start` on a free port with a
 * throwaway database. The first token is timed three ways, at the same number of concurrent
 * upstream streams:
 *   direct — the `openai` SDK calling the upstream itself;
 *   bare   — `POST /bench-relay` (`app/bench-relay/route.bench.ts`): reads the body, calls the
 *            same SDK per target and writes each delta as SSE, the floor any relay on this
 *            server pays;
 *   ours   — `POST /api/runs`: validation, the run manager, recording into SQLite.
 * Levels: 1 run at a time and 64 concurrent runs, 4 targets a run.
 * Goals: at 1 run, ours adds ≤ 1 ms p50 over bare; at 64 runs, ours's added p50 (over direct)
 * is ≤ 1.25× bare's.
 *
 * Every path stops the clock once the first text is parsed (the SDK's chunk; a relay's
 * `text-delta` event), so each counts its own parsing. The server's CPU per upstream stream
 * (from /proc, read after the round's recording has landed; beside it the direct client's,
 * the SDK's own cost) explains the figures once the cores are saturated: time to first token
 * is then queueing, which grows with that CPU. The client shares the machine's cores with the
 * server (a browser would not), which slightly favours the direct path at 64 runs.
 *
 * Run: npm run bench:stream-overhead   (last line: both figures, with units)
 * BENCH_ONLY_RUNS=64 runs one level.
 */
import OpenAI from "openai";
import {
  CHUNK_INTERVAL_MS,
  CHUNKS,
  FAKE_KEY,
  format,
  PATH_ORDERS,
  type PathName,
  percentile,
  processCpuMs,
  type Sample,
  SETTLE_MS,
  sdkStream,
  signed,
  sleep,
  startBenchServer,
  startUpstream,
  TTFT_MS,
  throughRelay,
} from "./support/relay-bench";

const TARGETS_PER_RUN = 4;

const GOAL_OVER_BARE_MS = 1;
const GOAL_ADDED_RATIO = 1.25;

const LEVELS = [
  { runs: 1, rounds: 60, warmup: 6 },
  { runs: 64, rounds: 12, warmup: 2 },
].filter(
  (level) => !process.env.BENCH_ONLY_RUNS || String(level.runs) === process.env.BENCH_ONLY_RUNS,
);

interface LevelResult {
  runs: number;
  p50: Record<PathName, number>;
}

async function measure(): Promise<void> {
  const upstream = await startUpstream();
  const server = await startBenchServer({ upstreamUrl: upstream.url }).catch((error: unknown) => {
    upstream.child.kill("SIGTERM");
    throw error;
  });
  const client = new OpenAI({ apiKey: FAKE_KEY, baseURL: `${upstream.url}/v1`, maxRetries: 0 });
  const routes: Record<Exclude<PathName, "direct">, string> = {
    bare: `${server.url}/bench-relay`,
    ours: `${server.url}/api/runs`,
  };
  console.log(
    `upstream: first token after ${TTFT_MS} ms, then ${CHUNKS} chunks every ${CHUNK_INTERVAL_MS} ms; ` +
      `${TARGETS_PER_RUN} targets a run; server: next start (recording on); ` +
      `node ${process.versions.node}`,
  );
  const results: LevelResult[] = [];
  try {
    for (const level of LEVELS) {
      const samples: Record<PathName, Sample[]> = { direct: [], bare: [], ours: [] };
      const serverCpuMs = { bare: 0, ours: 0 };
      let directCpuMs = 0;
      const round = async (name: PathName, keep: boolean) => {
        if (name === "direct") {
          const cpuBefore = process.cpuUsage();
          const got = await Promise.all(
            Array.from({ length: level.runs * TARGETS_PER_RUN }, () => sdkStream(client)),
          );
          const { user, system } = process.cpuUsage(cpuBefore);
          await sleep(SETTLE_MS);
          if (!keep) return;
          directCpuMs += (user + system) / 1000;
          samples.direct.push(...got);
          return;
        }
        const cpuBefore = processCpuMs(server.child.pid);
        const got = await Promise.all(
          Array.from({ length: level.runs }, () => throughRelay(routes[name], TARGETS_PER_RUN)),
        );
        await sleep(SETTLE_MS);
        if (!keep) return;
        serverCpuMs[name] += processCpuMs(server.child.pid) - cpuBefore;
        samples[name].push(...got.flat());
      };
      for (let index = 0; index < level.warmup + level.rounds; index += 1) {
        const order = PATH_ORDERS[index % PATH_ORDERS.length] ?? PATH_ORDERS[0] ?? [];
        for (const name of order) await round(name, index >= level.warmup);
      }
      const stat = (name: PathName, fraction: number) =>
        percentile(
          samples[name].map((sample) => sample.ttftMs),
          fraction,
        );
      const p50 = { direct: stat("direct", 0.5), bare: stat("bare", 0.5), ours: stat("ours", 0.5) };
      results.push({ runs: level.runs, p50 });
      const cpuPerStream = (name: "bare" | "ours") =>
        (serverCpuMs[name] / samples[name].length).toFixed(2);
      console.log(
        `${level.runs} concurrent run(s) × ${TARGETS_PER_RUN} (${samples.ours.length} streams a path): ` +
          `ttft p50/p99 direct ${format(p50.direct)}/${format(stat("direct", 0.99))} ms, ` +
          `bare ${format(p50.bare)}/${format(stat("bare", 0.99))} ms, ` +
          `ours ${format(p50.ours)}/${format(stat("ours", 0.99))} ms; ` +
          `added p50 bare ${signed(p50.bare - p50.direct)} ms, ours ${signed(p50.ours - p50.direct)} ms; ` +
          `cpu per stream: the direct client's SDK ${(directCpuMs / samples.direct.length).toFixed(2)} ms, ` +
          `the server bare ${cpuPerStream("bare")} ms, ours ${cpuPerStream("ours")} ms`,
      );
    }
  } finally {
    await server.close();
    upstream.child.kill("SIGTERM");
  }

  const one = results.find((result) => result.runs === 1);
  const many = results.find((result) => result.runs === 64);
  const figures: string[] = [];
  if (one) {
    const overBare = one.p50.ours - one.p50.bare;
    const met = overBare <= GOAL_OVER_BARE_MS ? "met" : "NOT met";
    console.log(
      `goal at 1 run: ours over the bare relay ≤ ${GOAL_OVER_BARE_MS} ms p50 — ${signed(overBare)} ms (${met})`,
    );
    figures.push(`${signed(overBare)} ms p50 over the bare relay at 1 run`);
  }
  if (many) {
    const oursAdded = many.p50.ours - many.p50.direct;
    const bareAdded = many.p50.bare - many.p50.direct;
    const ratio = oursAdded / bareAdded;
    const met = ratio <= GOAL_ADDED_RATIO ? "met" : "NOT met";
    console.log(
      `goal at 64 runs: ours's added p50 ≤ ${GOAL_ADDED_RATIO}× the bare relay's — ` +
        `${format(oursAdded)} ms vs ${format(bareAdded)} ms = ${ratio.toFixed(3)}× (${met})`,
    );
    figures.push(`${ratio.toFixed(3)}× the bare relay's added p50 at 64 runs`);
  }
  console.log(`ours: ${figures.join("; ")}`);
}

await measure();
process.exit(0);
