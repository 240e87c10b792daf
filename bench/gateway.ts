/**
 * bench/gateway: what the gateway adds to time to first token, on the server `npm start`
 * runs (`next start`), recording on (and OTLP export on, to a local collector, wherever the
 * build exports spans).
 *
 * The same `openai` SDK client streams one completion three ways, at the same number of
 * concurrent streams:
 *   direct — calling the fake upstream itself;
 *   bare   — through `POST /bench-relay/v1/chat/completions`
 *            (`app/bench-relay/v1/chat/completions/route.bench.ts`): the same SDK call upstream,
 *            each chunk written back in OpenAI's wire format; the floor an OpenAI-compatible
 *            relay pays on this server;
 *   ours   — through `POST /v1/chat/completions` with a gateway key: the key check and budget
 *            sums, model resolution, the run manager, the OpenAI wire translation, recording.
 * Every path is read by the same client, so none is measured with a cheaper parser than
 * another (the client shares the machine's cores with the server).
 * Levels: 1 stream at a time and 64 concurrent streams.
 * Goals: at 1 stream, ours adds ≤ 3 ms p50 over direct; at 64 streams, ours's added p50 is
 * ≤ 1.25× bare's. Shares the upstream, the build and the statistics with
 * bench:stream-overhead (bench/support/relay-bench.ts).
 *
 * Run: npm run bench:gateway   (last line: both figures, with units)
 * BENCH_ONLY_STREAMS=64 runs one level.
 */
import OpenAI from "openai";
import {
  CHUNK_INTERVAL_MS,
  CHUNKS,
  FAKE_KEY,
  format,
  MODEL,
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
} from "./support/relay-bench";

const GOAL_ADDED_MS = 3;
const GOAL_ADDED_RATIO = 1.25;

const LEVELS = [
  { streams: 1, rounds: 60, warmup: 6 },
  { streams: 64, rounds: 36, warmup: 2 },
].filter(
  (level) =>
    !process.env.BENCH_ONLY_STREAMS || String(level.streams) === process.env.BENCH_ONLY_STREAMS,
);

async function createGatewayKey(serverUrl: string): Promise<string> {
  const response = await fetch(`${serverUrl}/api/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // A budget, so every request pays the spend sums a budgeted key costs.
    body: JSON.stringify({ name: "bench", budgetUsd: { daily: 1_000_000, monthly: 1_000_000 } }),
  });
  if (response.status !== 201) throw new Error(`POST /api/keys answered ${response.status}`);
  return ((await response.json()) as { key: string }).key;
}

const upstream = await startUpstream();
const server = await startBenchServer({
  upstreamUrl: upstream.url,
  env: { OTEL_EXPORTER_OTLP_ENDPOINT: upstream.url, OTEL_SERVICE_NAME: "locus-bench" },
}).catch((error: unknown) => {
  upstream.child.kill("SIGTERM");
  throw error;
});

const results: Array<{ streams: number; p50: Record<PathName, number> }> = [];
try {
  const direct = new OpenAI({ apiKey: FAKE_KEY, baseURL: `${upstream.url}/v1`, maxRetries: 0 });
  const gateway = new OpenAI({
    apiKey: await createGatewayKey(server.url),
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
    defaultHeaders: { "x-locus-tags": "bench" },
  });
  const relay = new OpenAI({
    apiKey: FAKE_KEY,
    baseURL: `${server.url}/bench-relay/v1`,
    maxRetries: 0,
  });
  const stream: Record<PathName, () => Promise<Sample>> = {
    direct: () => sdkStream(direct),
    bare: () => sdkStream(relay, `openai:${MODEL}`),
    ours: () => sdkStream(gateway, `openai:${MODEL}`),
  };
  console.log(
    `upstream: first token after ${TTFT_MS} ms, then ${CHUNKS} chunks every ${CHUNK_INTERVAL_MS} ms; ` +
      `server: next start (recording on, OTLP export to a local collector where built); ` +
      `node ${process.versions.node}`,
  );
  for (const level of LEVELS) {
    const samples: Record<PathName, Sample[]> = { direct: [], bare: [], ours: [] };
    const serverCpuMs = { bare: 0, ours: 0 };
    for (let index = 0; index < level.warmup + level.rounds; index += 1) {
      const order = PATH_ORDERS[index % PATH_ORDERS.length] ?? PATH_ORDERS[0] ?? [];
      for (const name of order) {
        const cpuBefore = processCpuMs(server.child.pid);
        const got = await Promise.all(Array.from({ length: level.streams }, stream[name]));
        await sleep(SETTLE_MS);
        if (index < level.warmup) continue;
        samples[name].push(...got);
        if (name !== "direct") serverCpuMs[name] += processCpuMs(server.child.pid) - cpuBefore;
      }
    }
    const stat = (name: PathName, fraction: number) =>
      percentile(
        samples[name].map((sample) => sample.ttftMs),
        fraction,
      );
    const p50 = { direct: stat("direct", 0.5), bare: stat("bare", 0.5), ours: stat("ours", 0.5) };
    results.push({ streams: level.streams, p50 });
    const cpuPerStream = (name: "bare" | "ours") =>
      (serverCpuMs[name] / samples[name].length).toFixed(2);
    console.log(
      `${level.streams} concurrent stream(s) (${samples.ours.length} a path): ttft p50/p99 ` +
        `direct ${format(p50.direct)}/${format(stat("direct", 0.99))} ms, ` +
        `bare ${format(p50.bare)}/${format(stat("bare", 0.99))} ms, ` +
        `ours ${format(p50.ours)}/${format(stat("ours", 0.99))} ms; ` +
        `added p50 bare ${signed(p50.bare - p50.direct)} ms, ours ${signed(p50.ours - p50.direct)} ms; ` +
        `server cpu per stream bare ${cpuPerStream("bare")} ms, ours ${cpuPerStream("ours")} ms`,
    );
  }
} finally {
  await server.close();
  upstream.child.kill("SIGTERM");
}

const figures: string[] = [];
const one = results.find((result) => result.streams === 1);
if (one) {
  const added = one.p50.ours - one.p50.direct;
  const met = added <= GOAL_ADDED_MS ? "met" : "NOT met";
  console.log(
    `goal at 1 stream: ours adds ≤ ${GOAL_ADDED_MS} ms p50 — ${signed(added)} ms (${met}); ` +
      `over the bare relay ${signed(one.p50.ours - one.p50.bare)} ms`,
  );
  figures.push(
    `${signed(added)} ms p50 added at 1 stream (${signed(one.p50.ours - one.p50.bare)} ms over the bare relay)`,
  );
}
const many = results.find((result) => result.streams === 64);
if (many) {
  const oursAdded = many.p50.ours - many.p50.direct;
  const bareAdded = many.p50.bare - many.p50.direct;
  const ratio = oursAdded / bareAdded;
  const met = ratio <= GOAL_ADDED_RATIO ? "met" : "NOT met";
  console.log(
    `goal at 64 streams: ours's added p50 ≤ ${GOAL_ADDED_RATIO}× the bare relay's — ` +
      `${format(oursAdded)} ms vs ${format(bareAdded)} ms = ${ratio.toFixed(3)}× (${met})`,
  );
  figures.push(`${ratio.toFixed(3)}× the bare relay's added p50 at 64 streams`);
}
console.log(`gateway: ${figures.join("; ")}`);
process.exit(0);
