/**
 * `npm start` (`exec node --import tsx scripts/start.ts`): refuse an unsafe listen address or a
 * port that is taken, build the production app when the build is missing or older than the
 * source, then run Next's own production server (`next start`) as this process's child.
 *
 * The package script `exec`s this program so that npm's SIGTERM or SIGINT reaches it (Debian's
 * `sh` does not pass signals on); this program passes it to the server. The database is created
 * and migrated by `instrumentation.ts` when the server boots.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { hostname as machineHostname } from "node:os";
import path from "node:path";
import { checkListenAddress } from "../lib/http/listen-guard";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

/**
 * Next closes its listener at once on SIGTERM but then waits for open responses, and a run's
 * event stream may stay open for minutes; a process manager's patience (and the port's
 * release) must not depend on that.
 */
const STOP_GRACE_MS = 3_000;

function fail(message: string): never {
  console.error(`locus-playground: ${message}`);
  process.exit(1);
}

/**
 * Container runtimes export HOSTNAME as the machine's own name; taking that as a listen
 * address would silently expose the app (or refuse to start), so it counts as unset.
 */
function listenHostname(): string {
  const configured = process.env.HOSTNAME?.trim();
  if (!configured || configured === machineHostname()) return "127.0.0.1";
  return configured;
}

function listenPort(): number {
  const configured = process.env.PORT?.trim() || "3000";
  const port = Number(configured);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    fail(`PORT=${configured} is not a port number (1–65535)`);
  }
  return port;
}

function urlHost(hostname: string): string {
  return hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
}

/** Why the address cannot be listened on (an error code such as `EADDRINUSE`), or null. */
function listenProblem(hostname: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.name));
    probe.listen({ host: hostname.replace(/^\[|\]$/g, ""), port, exclusive: true }, () => {
      probe.close(() => resolve(null));
    });
  });
}

function listenProblemMessage(problem: string, hostname: string, port: number): string {
  if (problem === "EADDRINUSE") {
    return `port ${port} on ${hostname} is already in use; choose another with PORT=<port> npm start`;
  }
  return `cannot listen on ${urlHost(hostname)}:${port} (${problem}); choose another address with HOSTNAME=… or PORT=…`;
}

/**
 * Resolves true once the server says it is ready (`instrumentation.ts`, after Next listens and
 * the database is open), false if it exits first.
 */
function ready(server: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    server.on("message", (message: { type?: string }) => {
      if (message?.type === "locus-playground-ready") resolve(true);
    });
    server.once("exit", () => resolve(false));
  });
}

const hostname = listenHostname();
const port = listenPort();
const verdict = checkListenAddress({ hostname, token: process.env.PLAYGROUND_TOKEN });
if (!verdict.ok) fail(verdict.message);

// Checked before building, so a taken port does not cost a build first.
const problem = await listenProblem(hostname, port);
if (problem !== null) fail(listenProblemMessage(problem, hostname, port));

if (!buildIfNeeded()) fail("next build failed");

const server = spawn(
  process.execPath,
  [nextBin, "start", "--hostname", hostname.replace(/^\[|\]$/g, ""), "--port", String(port)],
  {
    cwd: root,
    // stderr is held until the server is ready: if it loses a race for the port, its stack
    // traces give way to the one line below. The IPC channel carries its "ready".
    stdio: ["ignore", "inherit", "pipe", "ipc"],
    env: {
      ...process.env,
      LOCUS_REPORT_READY: "1",
      HOSTNAME: hostname,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
    },
  },
);
const heldErrors: Buffer[] = [];
let serving = false;
server.stderr?.on("data", (chunk: Buffer) => {
  if (serving) process.stderr.write(chunk);
  else heldErrors.push(chunk);
});
server.once("error", (error) => fail(`could not start next: ${error.message}`));

let stopRequested = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopRequested) return;
    stopRequested = true;
    server.kill(signal);
    setTimeout(() => server.kill("SIGKILL"), STOP_GRACE_MS).unref();
  });
}

const exited = new Promise<number>((resolve) => {
  server.once("exit", (code) => resolve(code ?? 1));
});

if (await ready(server)) {
  serving = true;
  for (const chunk of heldErrors.splice(0)) process.stderr.write(chunk);
  console.log(`locus-playground: serving on http://${urlHost(hostname)}:${port}`);
} else if (!stopRequested) {
  const code = await exited;
  const lost = await listenProblem(hostname, port);
  if (lost !== null) fail(listenProblemMessage(lost, hostname, port));
  for (const chunk of heldErrors.splice(0)) process.stderr.write(chunk);
  process.exit(code === 0 ? 1 : code);
}

const code = await exited;
// A stop that was asked for is a clean stop, whatever code Next chose for it.
process.exit(stopRequested ? 0 : code);
