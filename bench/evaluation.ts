/**
 * bench/evaluation: an evaluation of 1,000 rows × 4 targets × 1 sample (4,000 calls) against a
 * fake OpenAI upstream (its own process) that answers after 200 ms with a short answer, at 32
 * calls in flight in total.
 *
 * Measured: the wall time from `POST /api/evaluations` to its final `status` event, as a ratio
 * to the ideal (calls ÷ concurrency × the upstream's latency; goal ≤ 1.3×); that nothing was
 * lost (every cell `ok` with its recorded call, 4,000 calls of source `evaluation`); and the
 * median of `GET /api/evaluations/:id` with all 4,000 cells (goal ≤ 200 ms).
 *
 * The four targets are four OpenAI models on the one fake, so the per-provider bound is raised
 * to 32 (`PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY`) and the evaluation asks for
 * `concurrency: 32`: the total bound is the one measured. The app's route handlers are served
 * in this process by the test harness (`test/support/app-server.ts`, real HTTP, real proxy,
 * no Next build), with a throwaway database and the real run manager and recorder.
 *
 * Run: npm run bench:evaluation   (last line: both figures, with units)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROWS = 1_000;
const MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o"];
const CONCURRENCY = 32;
const LATENCY_MS = 200;
const GET_ROUNDS = 21;
const GOAL_RATIO = 1.3;
const GOAL_GET_MS = 200;
const FAKE_KEY = "sk-bench-not-a-real-key-000000";

const role = process.argv
  .find((argument) => argument.startsWith("--role="))
  ?.slice("--role=".length);

async function serveUpstream(): Promise<void> {
  const { startFakeServer, sleep } = await import("@/test/support/fake-http-server");
  const { openAIAnswer } = await import("@/test/support/wire/answers");
  const { replay } = await import("@/test/support/wire/replay");
  const answers = new Map(
    MODELS.map((model) => [
      model,
      openAIAnswer({
        model,
        pieces: ["The ", "capital ", "is ", "Paris."],
        usage: { prompt_tokens: 24, completion_tokens: 5, total_tokens: 29 },
      }),
    ]),
  );
  const server = await startFakeServer(async (request, response) => {
    const model = (request.json() as { model?: string }).model ?? "";
    const answer = answers.get(model) ?? answers.get("gpt-4o-mini");
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    await sleep(LATENCY_MS);
    if (answer) await replay(response, answer);
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

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(): Promise<void> {
  const upstream = await startUpstream();
  const directory = mkdtempSync(path.join(tmpdir(), "locus-bench-evaluation-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "playground.db")}`;
  process.env.OPENAI_BASE_URL = `${upstream.url}/v1`;
  process.env.OPENAI_API_KEY = FAKE_KEY;
  process.env.PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY = String(CONCURRENCY);
  process.env.PLAYGROUND_TOKEN = "";

  const { DEFAULT_ROUTES, EVALUATION_ROUTES, startAppServer } = await import(
    "@/test/support/app-server"
  );
  const { followSseData } = await import("@/test/support/sse");
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
  const app = await startAppServer({ routes: [...DEFAULT_ROUTES, ...EVALUATION_ROUTES] });
  try {
    const { promptId } = await post<{ promptId: string }>(`${app.url}/api/prompts`, {
      name: "bench",
      system: "Answer in one sentence.",
      template: "What is the capital of {{country}}? (case {{n}})",
    });
    const { datasetId } = await post<{ datasetId: string }>(`${app.url}/api/datasets`, {
      name: "bench",
      rows: Array.from({ length: ROWS }, (_, n) => ({
        vars: { country: "France", n: String(n) },
        expected: "Paris",
      })),
    });
    const calls = ROWS * MODELS.length;
    const ideal = (calls / CONCURRENCY) * LATENCY_MS;
    console.log(
      `${ROWS} rows × ${MODELS.length} targets × 1 sample = ${calls} calls, concurrency ${CONCURRENCY}, ` +
        `upstream answers after ${LATENCY_MS} ms; ideal ${(ideal / 1000).toFixed(1)} s`,
    );

    const started = performance.now();
    const { evaluationId } = await post<{ evaluationId: string }>(`${app.url}/api/evaluations`, {
      promptId,
      datasetId,
      targets: MODELS.map((model) => ({ model: `openai:${model}` })),
      samples: 1,
      concurrency: CONCURRENCY,
      assertions: [{ type: "contains", value: "Paris" }],
    });
    const events = await fetch(`${app.url}/api/evaluations/${evaluationId}/events`);
    let finalStatus = "running";
    await followSseData(events.body as ReadableStream<Uint8Array>, (data) => {
      const event = data as { type: string; status?: string };
      if (event.type === "status" && event.status !== "running") {
        finalStatus = event.status ?? "";
        return "stop";
      }
      return undefined;
    });
    const wallMs = performance.now() - started;
    const ratio = wallMs / ideal;

    const { getTracer } = await import("@/lib/tracing");
    await getTracer().flush();
    const { getDb } = await import("@/lib/db/client");
    const sqlite = getDb().sqlite;
    const cells = sqlite
      .prepare(
        `select count(*) as cells, sum(cell.status = 'ok') as ok, sum(cell.passed) as passed,
         sum(call.status = 'ok' and call.source = 'evaluation') as recorded
         from evaluation_cells cell left join calls call on call.id = cell.call_id
         where cell.evaluation_id = ?`,
      )
      .get(evaluationId) as { cells: number; ok: number; passed: number; recorded: number };
    const bySource = sqlite
      .prepare("select count(*) as calls from calls where source = 'evaluation'")
      .get() as { calls: number };
    const lost = calls - Math.min(cells.ok, cells.recorded, bySource.calls);
    console.log(
      `status ${finalStatus}; cells ${cells.cells}, ok ${cells.ok}, passed ${cells.passed}, ` +
        `recorded calls ${cells.recorded} (source evaluation: ${bySource.calls}); lost ${lost}`,
    );
    console.log(
      `wall ${(wallMs / 1000).toFixed(2)} s = ${ratio.toFixed(3)}× the ideal ` +
        `(goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? "met" : "NOT met"})`,
    );

    const timings: number[] = [];
    let size = 0;
    for (let round = 0; round < GET_ROUNDS; round++) {
      const before = performance.now();
      const response = await fetch(`${app.url}/api/evaluations/${evaluationId}`);
      const body = (await response.json()) as { cells: unknown[] };
      timings.push(performance.now() - before);
      size = body.cells.length;
    }
    const getMedian = median(timings);
    console.log(
      `GET /api/evaluations/:id with ${size} cells: median ${getMedian.toFixed(1)} ms over ${GET_ROUNDS} ` +
        `(min ${Math.min(...timings).toFixed(1)}, max ${Math.max(...timings).toFixed(1)}; goal ≤ ${GOAL_GET_MS} ms: ` +
        `${getMedian <= GOAL_GET_MS ? "met" : "NOT met"})`,
    );
    console.log(
      `evaluation: ${ratio.toFixed(3)}× the ideal wall time, ${lost} lost; GET with ${size} cells ${getMedian.toFixed(1)} ms median`,
    );
  } finally {
    await app.close();
    upstream.child.kill("SIGTERM");
    const { getTracer } = await import("@/lib/tracing");
    await getTracer().flush();
    const { closeDatabase, getDb } = await import("@/lib/db/client");
    closeDatabase(getDb());
    rmSync(directory, { recursive: true, force: true });
  }
}

if (role === "upstream") {
  await serveUpstream();
} else {
  await measure();
  process.exit(0);
}
