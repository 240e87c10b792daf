/**
 * `npm run bench:record-throughput [-- --calls 50000 --runs 3]`: how many calls per second the
 * recorder can take, each with a start, a progress update and a finish, into a fresh
 * temporary SQLite file (WAL, the real migrations, triggers and pricing).
 *
 * Two shapes are measured:
 * - staggered: a call's start, progress and finish land in three different batches, as when
 *   calls stream for longer than the write interval (one insert and two updates per call);
 * - bursty: all three in one batch, which the recorder merges into a single insert.
 * The last line is the staggered figure, the slower and more common one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  closeDatabase,
  closeRecorderConnection,
  createDatabase,
  openRecorderConnection,
} from "../lib/db/client";
import { newId } from "../lib/runs/new-id";
import { journalPathFor } from "../lib/tracing/journal";
import { createTracer } from "../lib/tracing/tracer";
import { callFinish, callStart, runRecord, usageOf } from "../test/support/tracing-fixtures";

const MODELS = [
  "openai:gpt-4o-mini",
  "anthropic:claude-sonnet-4-5",
  "oci:xai.grok-4",
  "ollama:llama3.3",
  "demo:fast",
];
const OUTPUT = "WAL mode appends changes to a separate log file. ".repeat(8);
const CALLS_PER_RUN = 4;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

async function measure(options: {
  calls: number;
  wave: number;
  staggered: boolean;
}): Promise<number> {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-bench-"));
  // As the app opens it: WAL checkpoints on their own thread (lib/db/checkpointer.ts).
  const database = createDatabase({
    url: `file:${path.join(directory, "bench.db")}`,
    checkpointInBackground: true,
  });
  // As the app writes: on a connection of its own, with a journal for refused batches.
  const writerDatabase = openRecorderConnection(database);
  // A long interval: batches are cut by the explicit flush after each wave.
  const tracer = createTracer({
    database,
    writerDatabase,
    journalPath: journalPathFor(database.location),
    flushIntervalMs: 10_000,
    maxPendingCalls: Number.MAX_SAFE_INTEGER,
  });
  const startedAt = new Date();
  const at = <T>(records: T[], index: number): T => {
    const record = records[index];
    if (record === undefined) throw new Error(`no record ${index}`);
    return record;
  };
  // Ids as the run manager makes them (their order matters to the indexes), a run's before
  // its calls'.
  const runIds: string[] = [];
  const callIds: string[] = [];
  for (let index = 0; index < options.calls; index++) {
    if (index % CALLS_PER_RUN === 0) runIds.push(newId());
    callIds.push(newId());
  }
  const callId = (index: number) => at(callIds, index);

  // Every record is built before the clock starts: the figure is the recorder's, not the
  // fixture builders'.
  const runs = runIds.map((id) => runRecord({ id, createdAt: startedAt }));
  const starts = Array.from({ length: options.calls }, (_, index) =>
    callStart({
      callId: callId(index),
      runId: at(runIds, Math.floor(index / CALLS_PER_RUN)),
      index: index % CALLS_PER_RUN,
      model: MODELS[index % MODELS.length],
      startedAt: new Date(startedAt.getTime() + index),
    }),
  );
  const progresses = Array.from({ length: options.calls }, (_, index) => ({
    callId: callId(index),
    output: OUTPUT.slice(0, 200),
    toolCalls: [],
    firstTokenAt: startedAt,
    request: { url: "https://api.example.test/v1/chat", body: { model: "m", stream: true } },
    unsupported: [],
  }));
  const finishes = Array.from({ length: options.calls }, (_, index) =>
    callFinish({
      callId: callId(index),
      output: OUTPUT,
      usage: usageOf({
        inputTokens: 1_200 + (index % 300),
        outputTokens: 180,
        cacheReadTokens: index % 2 === 0 ? 1_024 : 0,
        cacheWriteTokens: 0,
        reasoningTokens: null,
        raw: { prompt_tokens: 1_200, completion_tokens: 180 },
      }),
    }),
  );

  const start = (index: number) => {
    if (index % CALLS_PER_RUN === 0) tracer.recordRun(at(runs, index / CALLS_PER_RUN));
    tracer.recordCallStart(at(starts, index));
  };
  const progress = (index: number) => tracer.recordCallProgress(at(progresses, index));
  const finish = (index: number) => tracer.recordCallFinish(at(finishes, index));

  const began = performance.now();
  if (options.staggered) {
    // Wave w starts calls of wave w, progresses wave w-1 and finishes wave w-2.
    const waves = Math.ceil(options.calls / options.wave);
    for (let wave = 0; wave < waves + 2; wave++) {
      for (let offset = 0; offset < options.wave; offset++) {
        const started = wave * options.wave + offset;
        const progressed = (wave - 1) * options.wave + offset;
        const finished = (wave - 2) * options.wave + offset;
        if (started < options.calls) start(started);
        if (progressed >= 0 && progressed < options.calls) progress(progressed);
        if (finished >= 0 && finished < options.calls) finish(finished);
      }
      await tracer.flush();
    }
  } else {
    for (let first = 0; first < options.calls; first += options.wave) {
      const last = Math.min(first + options.wave, options.calls);
      for (let index = first; index < last; index++) {
        start(index);
        progress(index);
        finish(index);
      }
      await tracer.flush();
    }
  }
  const seconds = (performance.now() - began) / 1000;

  const stored = database.sqlite
    .prepare("SELECT count(*) AS calls FROM calls WHERE status = 'ok'")
    .get() as { calls: number };
  const stats = tracer.getStats();
  const checkpoints = await database.checkpointer?.stats();
  await database.checkpointer?.close();
  tracer.close();
  closeRecorderConnection(writerDatabase, database);
  closeDatabase(database);
  rmSync(directory, { recursive: true, force: true });
  if (stored.calls !== options.calls || stats.droppedWrites > 0 || stats.callsLost > 0) {
    throw new Error(`expected ${options.calls} finished calls, found ${stored.calls}`);
  }
  if (checkpoints) {
    console.log(
      `  ${options.staggered ? "staggered" : "bursty"}: ${Math.round(options.calls / seconds)} calls/s; ` +
        `${checkpoints.checkpoints} background checkpoints (${checkpoints.restarts} restarting the log), ` +
        `log at most ${checkpoints.largestLogFrames} pages; ${stats.failedAttempts} writes refused, ` +
        `recorder's longest step ${stats.longestStepMs.toFixed(1)} ms`,
    );
  }
  return options.calls / seconds;
}

/** The best of a few runs: on a shared machine the slow runs measure the neighbours. */
async function best(options: { calls: number; wave: number; staggered: boolean }, runs: number) {
  let fastest = 0;
  for (let run = 0; run < runs; run++) fastest = Math.max(fastest, await measure(options));
  return fastest;
}

async function main(): Promise<void> {
  const calls = argument("calls", 50_000);
  const wave = argument("wave", 1_000);
  const runs = argument("runs", 3);
  console.log(
    `recording ${calls} calls (start + progress + finish), ${wave} per batch, best of ${runs}`,
  );
  // A short warm-up so JIT compilation is not measured.
  await measure({ calls: Math.min(5_000, calls), wave, staggered: true });
  const bursty = await best({ calls, wave, staggered: false }, runs);
  console.log(`bursty (start, progress and finish in one batch): ${Math.round(bursty)} calls/s`);
  const staggered = await best({ calls, wave, staggered: true }, runs);
  console.log(`staggered (each in its own batch): ${Math.round(staggered)} calls/s`);
  console.log(`throughput ${Math.round(staggered)} calls/s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
