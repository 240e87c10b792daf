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
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";

const TTFT_MS = 30;
const CHUNK_INTERVAL_MS = 5;
const CHUNKS = 20;
const TARGETS_PER_RUN = 4;
const MODEL = "gpt-4o-mini";
const FAKE_KEY = "sk-bench-not-a-real-key-000000";
/** After each round: the recorder's last batch lands before the next round starts. */
const SETTLE_MS = 200;

const GOAL_OVER_BARE_MS = 1;
const GOAL_ADDED_RATIO = 1.25;

type PathName = "direct" | "bare" | "ours";
/**
 * Rounds cycle through all six orders of the three paths: whichever runs right after another
 * inherits its leftovers (collection, closing sockets), so none may always follow one.
 */
const PATH_ORDERS: readonly (readonly PathName[])[] = [
  ["direct", "ours", "bare"],
  ["direct", "bare", "ours"],
  ["ours", "direct", "bare"],
  ["ours", "bare", "direct"],
  ["bare", "direct", "ours"],
  ["bare", "ours", "direct"],
];

const LEVELS = [
  { runs: 1, rounds: 60, warmup: 6 },
  { runs: 64, rounds: 12, warmup: 2 },
].filter(
  (level) => !process.env.BENCH_ONLY_RUNS || String(level.runs) === process.env.BENCH_ONLY_RUNS,
);

const role = process.argv
  .find((argument) => argument.startsWith("--role="))
  ?.slice("--role=".length);

async function serveUpstream(): Promise<void> {
  const { startFakeServer, sleep } = await import("@/test/support/fake-http-server");
  const { openAIAnswer } = await import("@/test/support/wire/answers");
  const { replay } = await import("@/test/support/wire/replay");
  const pieces = Array.from({ length: CHUNKS }, (_, index) => `token${index} `);
  const answer = openAIAnswer({ model: MODEL, pieces });
  const server = await startFakeServer(async (_request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    await sleep(TTFT_MS);
    await replay(response, answer, {
      delayMs: CHUNK_INTERVAL_MS,
    });
  });
  // The fake keeps every request for tests; a benchmark only needs the answers.
  setInterval(() => server.requests.splice(0), 1_000).unref();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", import.meta.filename, "--role=upstream"],
      { cwd: path.resolve(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once("exit", (code) => reject(new Error(`the upstream exited with ${code}`)));
  });
}

/** CPU milliseconds a process has used so far, or NaN where /proc cannot tell. */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return Number.NaN;
  }
})();
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return Number.NaN;
  }
}

interface Sample {
  ttftMs: number;
}

const PROMPT = [{ role: "user" as const, content: "Explain WAL mode in one paragraph." }];

async function directStream(client: OpenAI): Promise<Sample> {
  const started = performance.now();
  let ttftMs = Number.NaN;
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages: PROMPT,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (Number.isNaN(ttftMs) && chunk.choices[0]?.delta?.content)
      ttftMs = performance.now() - started;
  }
  return { ttftMs };
}

/** One 4-target run through a relay route (ours or the bare one), timed as the client sees it. */
async function throughRelay(routeUrl: string): Promise<Sample[]> {
  const started = performance.now();
  const response = await fetch(routeUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: PROMPT,
      targets: Array.from({ length: TARGETS_PER_RUN }, () => ({ model: `openai:${MODEL}` })),
    }),
  });
  if (!response.ok || !response.body) throw new Error(`${routeUrl} answered ${response.status}`);
  const first = new Array<number>(TARGETS_PER_RUN).fill(Number.NaN);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf("\n\n");
      if (!frame.startsWith("data: ")) continue;
      const event = JSON.parse(frame.slice(6)) as { type: string; index?: number; status?: string };
      if (event.index === undefined) continue;
      if (event.type === "text-delta" && Number.isNaN(first[event.index]))
        first[event.index] = performance.now() - started;
      if (event.type === "call-finish" && event.status !== "ok")
        throw new Error(`${routeUrl}: call ${event.index} ended ${event.status}`);
    }
  }
  return first.map((ttftMs) => ({ ttftMs }));
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

const format = (value: number) => value.toFixed(1);
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

interface LevelResult {
  runs: number;
  p50: Record<PathName, number>;
}

async function measure(): Promise<void> {
  // Set before the build helpers load next.config.mjs: the bench's build directory and its
  // extra route.
  process.env.LOCUS_BENCH_BUILD = "1";
  const { buildIfNeeded } = await import("../scripts/build-if-needed.mjs");
  const { startProductionServer } = await import("@/test/support/production-server");
  if (!buildIfNeeded()) throw new Error("next build failed");

  const upstream = await startUpstream();
  const server = await startProductionServer({
    name: "bench",
    env: {
      LOCUS_BENCH_BUILD: "1",
      OPENAI_BASE_URL: `${upstream.url}/v1`,
      OPENAI_API_KEY: FAKE_KEY,
    },
  }).catch((error: unknown) => {
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
            Array.from({ length: level.runs * TARGETS_PER_RUN }, () => directStream(client)),
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
          Array.from({ length: level.runs }, () => throughRelay(routes[name])),
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

if (role === "upstream") {
  await serveUpstream();
} else {
  await measure();
  process.exit(0);
}
