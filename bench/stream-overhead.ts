/**
 * bench/stream-overhead: what the playground adds to time to first token.
 *
 * A fake OpenAI upstream (its own process) streams a fixed answer with fixed pacing. The
 * measuring process times the first token and the whole answer two ways, at the same number
 * of concurrent upstream streams:
 *   direct  — the `openai` SDK calling the upstream itself;
 *   via     — `POST /api/runs` (4 targets a run) on the app's route handlers behind the
 *             proxy, in a third process, with recording into SQLite on;
 *   bare    — the floor of any relay on that server: a route beside ours, behind the same
 *             proxy and harness, that reads the body, calls the same SDK for each target and
 *             writes each delta as an SSE frame — no validation, run manager or recording.
 * Levels: 1 run at a time and 64 concurrent runs (4 and 256 upstream streams). The goal is
 * about `via`; `bare` says how much of the added time is the extra hop itself.
 *
 * Every path stops the clock once the first text is parsed (the SDK's chunk; a relay's
 * `text-delta` event), so each counts its own parsing.
 *
 * It also reports CPU time per upstream stream in each process, which explains the added
 * time once the machine is saturated: at that point time to first token is queueing, and
 * the queue grows with the CPU each stream costs. The app's CPU is read after its recorder
 * has written the round, so recording counts in full. `reads a run` is how many chunks the
 * client received per run: each is a socket write in the app and a wake-up in the client.
 * Note the client shares the machine's cores with the app (a browser would not), which
 * slightly favours the direct path once the cores are saturated.
 *
 * At one run it also splits the time before the first upstream request arrives into hops,
 * from clocks in all three processes (`performance.timeOrigin + performance.now()`, the same
 * wall-clock base on one machine) and Node's diagnostics channels: the client's request
 * reaching the app, the app's handling until its SDK creates the first upstream request, and
 * that request reaching the upstream. Only what happens before the upstream differs between
 * the two paths by design; the rest of the added time is the relay back.
 *
 * BENCH_SERVER=next measures our route on the production server as `npm start` runs it
 * (`scripts/serve.mjs`: Next's handler behind our listener, which serves the run routes itself;
 * built first when the build is stale) instead of the harness: what a person using the app gets.
 * BENCH_SERVER=next-start runs plain `next start` instead, Next serving every route. Those modes
 * have no bare relay (it is not part of the app) and no in-app CPU or hop figures, and wait a
 * moment after each round through the app so its recorder's last batch lands before the next.
 *
 * Run: npm run bench:stream-overhead   (last line: `added ttft median … ms p99 … ms`)
 * BENCH_ONLY_RUNS=64 runs one level; BENCH_PROFILE=1 writes a CPU profile of the app process
 * to /tmp/bench-prof; BENCH_RECORDING=off swaps the recorder for one that drops everything
 * (to see what recording costs; the goal is stated with recording on).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { encodeSseEvent } from "@/lib/http/sse";
import type { AppRoute } from "@/test/support/app-server";
import { type ProductionServer, startProductionServer } from "@/test/support/production-server";

const TTFT_MS = 30;
const CHUNK_INTERVAL_MS = 5;
const CHUNKS = 20;
const TARGETS_PER_RUN = 4;
const MODEL = "gpt-4o-mini";
const FAKE_KEY = "sk-bench-not-a-real-key-000000";

/** The production build (`next`: as `npm start` serves it; `next-start`: plain `next start`). */
const UNDER_NEXT = process.env.BENCH_SERVER === "next" || process.env.BENCH_SERVER === "next-start";
const PLAIN_NEXT_START = process.env.BENCH_SERVER === "next-start";
/** On the production server the recorder is not asked to flush; this covers its 50 ms batches. */
const RECORDER_SETTLE_MS = 200;

type PathName = "direct" | "via" | "bare";
const PATH_ORDERS: readonly (readonly PathName[])[] = (
  [
    ["direct", "via", "bare"],
    ["direct", "bare", "via"],
    ["via", "direct", "bare"],
    ["via", "bare", "direct"],
    ["bare", "direct", "via"],
    ["bare", "via", "direct"],
  ] as const
).map((order) => order.filter((path) => !UNDER_NEXT || path !== "bare"));

const LEVELS = [
  { runs: 1, rounds: 60, warmup: 5 },
  { runs: 64, rounds: 6, warmup: 1 },
].filter(
  (level) => !process.env.BENCH_ONLY_RUNS || String(level.runs) === process.env.BENCH_ONLY_RUNS,
);

/** Milliseconds on a clock shared by every process on the machine. */
const wallClockMs = () => performance.timeOrigin + performance.now();

const role = process.argv
  .find((argument) => argument.startsWith("--role="))
  ?.slice("--role=".length);

async function serveUpstream(): Promise<void> {
  const { startFakeServer, writeSse, sleep } = await import("@/test/support/fake-http-server");
  const { openAIStreamFrames } = await import("@/test/support/runs-integration");
  const pieces = Array.from({ length: CHUNKS }, (_, index) => `token${index} `);
  let arrivals: number[] = [];
  process.on("message", (message) => {
    if (message !== "take-arrivals") return;
    process.send?.(arrivals);
    arrivals = [];
  });
  const server = await startFakeServer(async (_request, response) => {
    arrivals.push(wallClockMs());
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    await sleep(TTFT_MS);
    await writeSse(response, openAIStreamFrames({ model: MODEL, pieces }), {
      delayMs: CHUNK_INTERVAL_MS,
    });
  });
  // The fake keeps every request for tests; a benchmark only needs the answers.
  setInterval(() => server.requests.splice(0), 1_000).unref();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

/**
 * The bare relay: what any route relaying these streams must do at least. Each delta is
 * written as it comes; errors end the call's column like the app's do.
 */
function bareRelayRoute(upstreamUrl: string): AppRoute {
  const client = new OpenAI({ apiKey: FAKE_KEY, baseURL: `${upstreamUrl}/v1`, maxRetries: 0 });
  const relay = async (request: Request): Promise<Response> => {
    const body = (await request.json()) as {
      messages: OpenAI.ChatCompletionMessageParam[];
      targets: unknown[];
    };
    const frames = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = body.targets.length;
        const relayOne = async (index: number) => {
          let status = "ok";
          try {
            const stream = await client.chat.completions.create({
              model: MODEL,
              messages: body.messages,
              stream: true,
              stream_options: { include_usage: true },
            });
            for await (const chunk of stream) {
              const delta = chunk.choices[0]?.delta?.content;
              if (delta) controller.enqueue(encodeSseEvent({ type: "text-delta", index, delta }));
            }
          } catch {
            status = "error";
          }
          open -= 1;
          try {
            controller.enqueue(encodeSseEvent({ type: "call-finish", index, status }));
            if (open === 0) controller.close();
          } catch {
            // The client went away; nothing is left to tell it.
          }
        };
        for (let index = 0; index < body.targets.length; index += 1) void relayOne(index);
      },
    });
    return new Response(frames, { headers: { "content-type": "text/event-stream" } });
  };
  return { path: "/bench/bare-relay", load: async () => ({ POST: relay }) };
}

async function serveApp(upstreamUrl: string): Promise<void> {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-bench-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "bench.db")}`;
  process.env.OPENAI_BASE_URL = `${upstreamUrl}/v1`;
  process.env.OPENAI_API_KEY = FAKE_KEY;
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
  if (process.env.BENCH_RECORDING === "off") {
    const { RunManager } = await import("@/lib/runs/run-manager");
    const tracer = {
      recordRun: () => undefined,
      recordCallStart: () => undefined,
      recordCallProgress: () => undefined,
      recordCallFinish: () => ({ costUsd: null }),
      flush: async () => undefined,
    };
    (globalThis as typeof globalThis & { __locusPlaygroundRuns?: unknown }).__locusPlaygroundRuns =
      new RunManager({ tracer });
  }
  const { DEFAULT_ROUTES, startAppServer } = await import("@/test/support/app-server");
  const app = await startAppServer({
    useProxy: true,
    routes: [...DEFAULT_ROUTES, bareRelayRoute(upstreamUrl)],
  });
  process.on("SIGTERM", () => {
    void app.close().finally(() => {
      rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    });
  });
  const { getTracer } = await import("@/lib/tracing");
  // When requests reach the app, and when its SDK calls create their upstream requests.
  const hops: AppHops = { received: [], upstreamCreated: [] };
  subscribe("http.server.request.start", () => hops.received.push(wallClockMs()));
  subscribe("undici:request:create", () => hops.upstreamCreated.push(wallClockMs()));
  // CPU is counted over a window the measuring process opens and closes around each round.
  // Each reply is sent outside the window: an IPC message costs about as much as relaying a
  // whole stream's deltas, and is not the app's work.
  let windowStart: NodeJS.CpuUsage | undefined;
  process.on("message", (message) => {
    if (message === "window-start") {
      process.send?.("started");
      hops.received = [];
      hops.upstreamCreated = [];
      windowStart = process.cpuUsage();
    } else if (message === "window-end") {
      // The round's last writes are still queued (the recorder batches them): wait for them,
      // so recording counts in full and does not land in the next direct round.
      const written =
        process.env.BENCH_RECORDING === "off" ? Promise.resolve() : getTracer().flush();
      void written.then(() => {
        const { user, system } = process.cpuUsage(windowStart);
        process.send?.({ cpuMs: (user + system) / 1000, ...hops } satisfies WindowReport);
      });
    }
  });
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
}

function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROFILE && args[0] === "--role=app"
          ? ["--cpu-prof", "--cpu-prof-dir=/tmp/bench-prof"]
          : []),
        "--conditions=react-server",
        "--import",
        "tsx",
        import.meta.filename,
        ...args,
      ],
      { cwd: path.resolve(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit", "ipc"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
}

/** The production build, built first when stale, pointed at the fake upstream. */
async function startNextServer(upstreamUrl: string): Promise<ProductionServer> {
  const { buildIfNeeded } = await import("../scripts/build-if-needed.mjs");
  if (!buildIfNeeded()) throw new Error("next build failed");
  return startProductionServer({
    env: { OPENAI_BASE_URL: `${upstreamUrl}/v1`, OPENAI_API_KEY: FAKE_KEY },
  });
}

/** Sends a message to a child and resolves with its reply. */
function ask(child: ChildProcess, message: string): Promise<unknown> {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(message);
  });
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface AppHops {
  received: number[];
  upstreamCreated: number[];
}

interface WindowReport extends AppHops {
  cpuMs: number;
}

/** Wall-clock times of one round at one run, for the split into hops. */
interface RoundClocks {
  directStart: number;
  directUpstreamArrivals: number[];
  viaStart: number;
  viaUpstreamArrivals: number[];
  app: AppHops;
}

interface Sample {
  ttftMs: number;
  totalMs: number;
}

async function directStream(client: OpenAI): Promise<Sample> {
  const started = performance.now();
  let ttftMs = Number.NaN;
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: "user", content: "Explain WAL mode in one paragraph." }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (Number.isNaN(ttftMs) && chunk.choices[0]?.delta?.content)
      ttftMs = performance.now() - started;
  }
  return { ttftMs, totalMs: performance.now() - started };
}

/** One 4-target run through a relay route (ours or the bare one), timed as the client sees it. */
async function throughRelay(
  routeUrl: string,
): Promise<{ samples: Sample[]; reads: number; startedAt: number }> {
  const startedAt = wallClockMs();
  const started = performance.now();
  const response = await fetch(routeUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: [{ role: "user", content: "Explain WAL mode in one paragraph." }],
      targets: Array.from({ length: TARGETS_PER_RUN }, () => ({ model: `openai:${MODEL}` })),
    }),
  });
  if (!response.ok || !response.body) throw new Error(`${routeUrl} answered ${response.status}`);
  const first = new Array<number>(TARGETS_PER_RUN).fill(Number.NaN);
  const last = new Array<number>(TARGETS_PER_RUN).fill(Number.NaN);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let reads = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads += 1;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
      if (!frame.startsWith("data: ")) continue;
      const event = JSON.parse(frame.slice(6)) as { type: string; index?: number; status?: string };
      if (event.index === undefined) continue;
      // Timed once the event is parsed, as the direct path is timed once the SDK has parsed
      // its chunk: both sides count their own parsing.
      if (event.type === "text-delta" && Number.isNaN(first[event.index]))
        first[event.index] = performance.now() - started;
      if (event.type === "call-finish") {
        if (event.status !== "ok") throw new Error(`call ${event.index} ended ${event.status}`);
        last[event.index] = performance.now() - started;
      }
    }
  }
  return {
    samples: first.map((ttftMs, index) => ({ ttftMs, totalMs: last[index] ?? Number.NaN })),
    reads,
    startedAt,
  };
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

const format = (value: number) => value.toFixed(1);

const earliest = (values: number[]) => (values.length > 0 ? Math.min(...values) : Number.NaN);

/** Medians of each hop before the first upstream request arrives, one run at a time. */
function describeHops(rounds: RoundClocks[]): string {
  const median = (pick: (round: RoundClocks) => number) =>
    format(percentile(rounds.map(pick), 0.5));
  const direct = median((round) => earliest(round.directUpstreamArrivals) - round.directStart);
  const via = median((round) => earliest(round.viaUpstreamArrivals) - round.viaStart);
  const toApp = median((round) => earliest(round.app.received) - round.viaStart);
  const inApp = median(
    (round) => earliest(round.app.upstreamCreated) - earliest(round.app.received),
  );
  const toUpstream = median(
    (round) => earliest(round.viaUpstreamArrivals) - earliest(round.app.upstreamCreated),
  );
  return (
    `  until the first upstream request arrives (medians): direct ${direct} ms; via ${via} ms = ` +
    `client → app ${toApp} + app handling until its SDK creates the request ${inApp} + ` +
    `that request reaching the upstream ${toUpstream}`
  );
}

async function measure(): Promise<void> {
  const upstream = await startChild(["--role=upstream"]);
  const app = await (UNDER_NEXT
    ? startNextServer(upstream.url)
    : startChild(["--role=app", `--upstream=${upstream.url}`]).then((started) => ({
        ...started,
        close: () => started.child.kill("SIGTERM"),
      }))
  ).catch((error: unknown) => {
    // Otherwise the upstream outlives the benchmark and holds its output pipe open.
    upstream.child.kill("SIGTERM");
    throw error;
  });
  const client = new OpenAI({ apiKey: FAKE_KEY, baseURL: `${upstream.url}/v1`, maxRetries: 0 });
  console.log(
    `upstream: first token after ${TTFT_MS} ms, then ${CHUNKS} chunks every ${CHUNK_INTERVAL_MS} ms; ${TARGETS_PER_RUN} targets a run; recording ${process.env.BENCH_RECORDING === "off" && !UNDER_NEXT ? "OFF" : "on"}; server: ${PLAIN_NEXT_START ? "next start" : UNDER_NEXT ? "npm start's (scripts/serve.mjs)" : "test harness"}`,
  );
  let worstMedian = Number.NEGATIVE_INFINITY;
  let worstP99 = Number.NEGATIVE_INFINITY;
  try {
    for (const level of LEVELS) {
      const direct: Sample[] = [];
      const via: Sample[] = [];
      const bare: Sample[] = [];
      const cpu = { direct: 0, app: 0, client: 0, bareApp: 0 };
      let reads = 0;
      const clocks: RoundClocks[] = [];
      /** One round of `level.runs` concurrent runs through a relay route, with the app's CPU. */
      const relayRound = async (routeUrl: string) => {
        if (!UNDER_NEXT) await ask(app.child, "window-start");
        const clientCpuBefore = ownCpuMs();
        const results = await Promise.all(
          Array.from({ length: level.runs }, () => throughRelay(routeUrl)),
        );
        const clientCpu = ownCpuMs() - clientCpuBefore;
        if (UNDER_NEXT) await new Promise((resolve) => setTimeout(resolve, RECORDER_SETTLE_MS));
        const report: WindowReport = UNDER_NEXT
          ? { cpuMs: Number.NaN, received: [], upstreamCreated: [] }
          : ((await ask(app.child, "window-end")) as WindowReport);
        const upstreamArrivals = (await ask(upstream.child, "take-arrivals")) as number[];
        return { results, clientCpu, report, upstreamArrivals };
      };
      const directRound = async () => {
        const startedAt = wallClockMs();
        const cpuBefore = ownCpuMs();
        const samples = await Promise.all(
          Array.from({ length: level.runs * TARGETS_PER_RUN }, () => directStream(client)),
        );
        const cpuMs = ownCpuMs() - cpuBefore;
        const upstreamArrivals = (await ask(upstream.child, "take-arrivals")) as number[];
        return { samples, cpuMs, startedAt, upstreamArrivals };
      };
      for (let round = 0; round < level.warmup + level.rounds; round += 1) {
        const keep = round >= level.warmup;
        // Interleaved rounds, so every path sees the same machine load over time, cycling
        // through the six orders of the three paths: whichever runs right after another
        // inherits its leftovers (collection, closing sockets), so none may always follow one.
        const order = PATH_ORDERS[round % PATH_ORDERS.length] ?? ["direct", "via", "bare"];
        let directResult: Awaited<ReturnType<typeof directRound>> | undefined;
        let viaResult: Awaited<ReturnType<typeof relayRound>> | undefined;
        let bareResult: Awaited<ReturnType<typeof relayRound>> | undefined;
        for (const path of order) {
          if (path === "direct") directResult = await directRound();
          else if (path === "via") viaResult = await relayRound(`${app.url}/api/runs`);
          else bareResult = await relayRound(`${app.url}/bench/bare-relay`);
        }
        if (!directResult || !viaResult) throw new Error("a path did not run");
        if (keep && level.runs === 1 && !UNDER_NEXT) {
          clocks.push({
            directStart: directResult.startedAt,
            directUpstreamArrivals: directResult.upstreamArrivals,
            viaStart: viaResult.results[0]?.startedAt ?? Number.NaN,
            viaUpstreamArrivals: viaResult.upstreamArrivals,
            app: viaResult.report,
          });
        }
        if (keep) {
          direct.push(...directResult.samples);
          via.push(...viaResult.results.flatMap((result) => result.samples));
          if (bareResult) {
            bare.push(...bareResult.results.flatMap((result) => result.samples));
            cpu.bareApp += bareResult.report.cpuMs;
          }
          cpu.direct += directResult.cpuMs;
          cpu.app += viaResult.report.cpuMs;
          cpu.client += viaResult.clientCpu;
          for (const result of viaResult.results) reads += result.reads;
        }
      }
      const stats = (samples: Sample[], key: keyof Sample) => ({
        median: percentile(
          samples.map((sample) => sample[key]),
          0.5,
        ),
        p99: percentile(
          samples.map((sample) => sample[key]),
          0.99,
        ),
      });
      const directTtft = stats(direct, "ttftMs");
      const viaTtft = stats(via, "ttftMs");
      const directTotal = stats(direct, "totalMs");
      const viaTotal = stats(via, "totalMs");
      const bareTtft = stats(bare, "ttftMs");
      const addedMedian = viaTtft.median - directTtft.median;
      const addedP99 = viaTtft.p99 - directTtft.p99;
      worstMedian = Math.max(worstMedian, addedMedian);
      worstP99 = Math.max(worstP99, addedP99);
      console.log(
        `${level.runs} concurrent run(s) × ${TARGETS_PER_RUN} (${via.length} streams each way): ` +
          `ttft direct ${format(directTtft.median)}/${format(directTtft.p99)} ms, via ${format(viaTtft.median)}/${format(viaTtft.p99)} ms (median/p99); ` +
          `total direct ${format(directTotal.median)}/${format(directTotal.p99)} ms, via ${format(viaTotal.median)}/${format(viaTotal.p99)} ms; ` +
          `added ttft median ${format(addedMedian)} ms p99 ${format(addedP99)} ms`,
      );
      if (bare.length > 0)
        console.log(
          `  bare relay (the floor): ttft ${format(bareTtft.median)}/${format(bareTtft.p99)} ms, ` +
            `added median ${format(bareTtft.median - directTtft.median)} ms p99 ${format(bareTtft.p99 - directTtft.p99)} ms; ` +
            `ours over bare: median ${format(viaTtft.median - bareTtft.median)} ms p99 ${format(viaTtft.p99 - bareTtft.p99)} ms; ` +
            `app cpu per stream ${(cpu.bareApp / bare.length).toFixed(2)} ms`,
        );
      console.log(
        `  cpu per upstream stream: direct ${(cpu.direct / direct.length).toFixed(2)} ms (SDK); ` +
          `via ${UNDER_NEXT ? "(not measured on the production server)" : `${(cpu.app / via.length).toFixed(2)} ms`} in the app (SDK + routing + SSE + recording) ` +
          `+ ${(cpu.client / via.length).toFixed(2)} ms in the client; ` +
          `${(reads / (via.length / TARGETS_PER_RUN)).toFixed(1)} reads a run in the client`,
      );
      if (clocks.length > 0) console.log(describeHops(clocks));
    }
  } finally {
    app.close();
    upstream.child.kill("SIGTERM");
  }
  console.log("(last line: the worse of the two levels)");
  console.log(`added ttft median ${format(worstMedian)} ms p99 ${format(worstP99)} ms`);
}

if (role === "upstream") {
  await serveUpstream();
} else if (role === "app") {
  const upstreamUrl = process.argv
    .find((argument) => argument.startsWith("--upstream="))
    ?.slice("--upstream=".length);
  if (!upstreamUrl) throw new Error("--upstream= is required");
  await serveApp(upstreamUrl);
} else {
  await measure();
  process.exit(0);
}
