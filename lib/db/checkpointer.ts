/**
 * WAL checkpoints on a worker thread of their own.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
 * thread that commits: here the server's event loop, every couple of recorder batches, copying
 * megabytes back into the database file and syncing it while every stream waits. SQLite's own
 * advice (https://sqlite.org/wal.html#automatic_checkpoint) is to turn it off and checkpoint
 * "in a separate thread or process". This worker holds a second connection and runs a PASSIVE
 * checkpoint (which neither waits for nor blocks the writer) whenever it is told that something
 * was committed, coalescing the notices that arrive while it works.
 *
 * A passive checkpoint racing a busy writer can leave the log growing: the log starts again
 * from its beginning only when a writer finds it fully copied. Once it holds more than
 * `maxLogFrames` pages the worker runs a RESTART checkpoint instead, which waits for the
 * writer's current transaction and makes the next one start the log afresh.
 *
 * The writing connection keeps an automatic checkpoint as a backstop, at a threshold the worker
 * normally keeps the log below; if the worker stops, it goes back to SQLite's default.
 */

import { Worker } from "node:worker_threads";
import type BetterSqlite3 from "better-sqlite3";

/** SQLite's own default threshold, in pages. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;
/** The writer's backstop while the worker runs: ~40 MB of log at 4 KiB pages. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface CheckpointerStats {
  checkpoints: number;
  restarts: number;
  /** Pages in the log at the largest it was seen by a checkpoint. */
  largestLogFrames: number;
  /** Set when a checkpoint failed; the worker goes on with the next notice. */
  lastError: string | null;
}

export interface Checkpointer {
  /** Something was committed: checkpoint once the worker is free. */
  written(): void;
  /** What the worker has done so far, once it has handled every notice sent before. */
  stats(): Promise<CheckpointerStats>;
  /** Closes the worker's connection and ends the thread. */
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Past this many pages in the log, a RESTART checkpoint (~16 MB at 4 KiB pages). */
  maxLogFrames?: number;
  /** How long a RESTART checkpoint waits for the writer and readers; 5 s by default. */
  restartWaitMs?: number;
  log?: (message: string) => void;
}

type WorkerReply =
  | { type: "stats"; stats: CheckpointerStats }
  | { type: "failed"; message: string };

/**
 * The worker's source, run with `eval`: a separate file would have to be found next to the
 * bundled server code, and a bundler would rewrite a `require` inside a function it compiles.
 * `better-sqlite3` resolves from the working directory, as the migrations folder does
 * (client.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const connection = new Database(workerData.file, { fileMustExist: true });
// How long a RESTART checkpoint waits for readers and the writer's transaction to end.
connection.pragma("busy_timeout = " + Number(workerData.restartWaitMs));
const stats = { checkpoints: 0, restarts: 0, largestLogFrames: 0, lastError: null };
let scheduled = false;
let synchronousSet = false;
function checkpoint() {
  if (!scheduled || !connection.open) return;
  scheduled = false;
  try {
    // Set here, not at open: it reads the file, and a failure here is reported like any other.
    if (!synchronousSet) {
      connection.pragma("synchronous = NORMAL");
      synchronousSet = true;
    }
    const [passive] = connection.pragma("wal_checkpoint(PASSIVE)");
    stats.checkpoints += 1;
    stats.largestLogFrames = Math.max(stats.largestLogFrames, passive.log);
    if (passive.log > workerData.maxLogFrames) {
      connection.pragma("wal_checkpoint(RESTART)");
      stats.restarts += 1;
    }
  } catch (error) {
    const message = String(error && error.message);
    // Told once per distinct failure, not once per batch.
    if (message !== stats.lastError) parentPort.postMessage({ type: "failed", message });
    stats.lastError = message;
  }
}
parentPort.on("message", (message) => {
  if (message === "written") {
    if (!scheduled) {
      scheduled = true;
      setImmediate(checkpoint);
    }
  } else if (message === "stats") {
    checkpoint();
    parentPort.postMessage({ type: "stats", stats });
  } else if (message === "close") {
    connection.close();
    parentPort.close();
  }
});
`;

/** Starts checkpointing `file`, the database `writer` (a connection in WAL mode) writes to. */
export function startCheckpointer(
  writer: BetterSqlite3.Database,
  file: string,
  options: CheckpointerOptions = {},
): Checkpointer {
  const log = options.log ?? ((message) => console.error(`locus-playground: ${message}`));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      maxLogFrames: options.maxLogFrames ?? 4_000,
      restartWaitMs: options.restartWaitMs ?? 5_000,
    },
  });
  // Never what keeps the process alive.
  worker.unref();
  writer.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);

  let closing = false;
  let running = true;
  const pendingStats: Array<{
    resolve: (stats: CheckpointerStats) => void;
    reject: (error: Error) => void;
  }> = [];
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", () => {
      running = false;
      for (const pending of pendingStats.splice(0))
        pending.reject(new Error("the checkpointer has stopped"));
      if (!closing) {
        log("checkpointer: worker stopped; the writer checkpoints by itself again");
        if (writer.open) writer.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      }
      resolve();
    });
  });
  worker.on("error", (error) => log(`checkpointer: ${error.message}`));

  worker.on("message", (reply: WorkerReply) => {
    if (reply.type === "stats") pendingStats.shift()?.resolve(reply.stats);
    else log(`checkpointer: a checkpoint failed (${reply.message}); the next batch tries again`);
  });

  return {
    written() {
      if (running && !closing) worker.postMessage("written");
    },
    async stats() {
      if (!running) throw new Error("the checkpointer has stopped");
      // Held open while an answer is awaited, so a script awaiting it does not just exit.
      worker.ref();
      try {
        return await new Promise<CheckpointerStats>((resolve, reject) => {
          pendingStats.push({ resolve, reject });
          worker.postMessage("stats");
        });
      } finally {
        if (pendingStats.length === 0 && !closing) worker.unref();
      }
    },
    close() {
      if (!closing && running) {
        closing = true;
        worker.ref();
        worker.postMessage("close");
      }
      return exited;
    },
  };
}
