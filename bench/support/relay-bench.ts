/**
 * What the relay benches (`bench:stream-overhead`, `bench:gateway`) share: the fake upstream
 * in its own process, the bench build served by `next start` (with the bare relay routes under
 * `app/bench-relay/`), the direct SDK path, a relay path's SSE timing, server CPU from /proc,
 * the round orders, and the statistics.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type OpenAI from "openai";
import { FAKE_KEY, MODEL } from "./upstream-pacing";

export * from "./upstream-pacing";

const root = path.resolve(import.meta.dirname, "..", "..");

/** After each round: the recorder's last batch lands before the next round starts. */
export const SETTLE_MS = 200;

export type PathName = "direct" | "bare" | "ours";

/**
 * Rounds cycle through all six orders of the three paths: whichever runs right after another
 * inherits its leftovers (collection, closing sockets), so none may always follow one.
 */
export const PATH_ORDERS: readonly (readonly PathName[])[] = [
  ["direct", "ours", "bare"],
  ["direct", "bare", "ours"],
  ["ours", "direct", "bare"],
  ["ours", "bare", "direct"],
  ["bare", "direct", "ours"],
  ["bare", "ours", "direct"],
];

export function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(import.meta.dirname, "fake-upstream.ts"),
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
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

export interface BenchServer {
  url: string;
  child: ChildProcess;
  close: () => Promise<void>;
}

/**
 * The bench build (`LOCUS_BENCH_BUILD=1`: its own directory and the bare relay route, built
 * only when stale) served by `next start` against the upstream, with a throwaway database.
 * `BENCH_SERVER_NODE_ARGS` passes Node flags to the server, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/profiles` for a CPU profile written when it stops.
 */
export async function startBenchServer(options: {
  upstreamUrl: string;
  env?: Record<string, string>;
}): Promise<BenchServer> {
  // Set before the build helpers load next.config.mjs.
  process.env.LOCUS_BENCH_BUILD = "1";
  const { buildIfNeeded } = await import("../../scripts/build-if-needed.mjs");
  const { startProductionServer } = await import("@/test/support/production-server");
  if (!buildIfNeeded()) throw new Error("next build failed");
  return startProductionServer({
    name: "bench",
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter((flag) => flag !== ""),
    env: {
      LOCUS_BENCH_BUILD: "1",
      OPENAI_BASE_URL: `${options.upstreamUrl}/v1`,
      OPENAI_API_KEY: FAKE_KEY,
      ...options.env,
    },
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

export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return Number.NaN;
  }
}

export interface Sample {
  ttftMs: number;
}

export const PROMPT = [{ role: "user" as const, content: "Explain WAL mode in one paragraph." }];

/** One streamed completion through an `openai` client, timed to its first text. */
export async function sdkStream(client: OpenAI, model: string = MODEL): Promise<Sample> {
  const started = performance.now();
  let ttftMs = Number.NaN;
  const stream = await client.chat.completions.create({
    model,
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

/** One run of `targets` through a relay route (`/api/runs` or the bare one), timed per target. */
export async function throughRelay(routeUrl: string, targets: number): Promise<Sample[]> {
  const started = performance.now();
  const response = await fetch(routeUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: PROMPT,
      targets: Array.from({ length: targets }, () => ({ model: `openai:${MODEL}` })),
    }),
  });
  if (!response.ok || !response.body) throw new Error(`${routeUrl} answered ${response.status}`);
  const first = new Array<number>(targets).fill(Number.NaN);
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

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const format = (value: number) => value.toFixed(1);
export const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
export const sleep = (milliseconds: number) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));
