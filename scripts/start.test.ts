/**
 * `npm start` as a process manager or container runtime runs it: the real `npm start` against
 * the production build (built first when stale), signals sent to npm's own pid.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { hostname as machineHostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureProductionBuild, freePort, root } from "@/test/support/production-server";

/** The bound the issue sets for stopping: what a container runtime waits before SIGKILL. */
const STOP_BOUND_MS = 5_000;

const directory = mkdtempSync(path.join(tmpdir(), "locus-npm-start-"));
const started: ChildProcess[] = [];

beforeAll(ensureProductionBuild, 600_000);

afterAll(() => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  rmSync(directory, { recursive: true, force: true });
});

interface NpmStart {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once `npm start` says it serves; rejects if it exits first. */
  serving: Promise<void>;
  exited: Promise<number | null>;
}

function npmStart(port: number, env: Record<string, string> = {}): NpmStart {
  // Not through a shell: the pid is npm's own, as a container runtime's would be.
  const child = spawn("npm", ["start"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: `file:${path.join(directory, `${port}.db`)}`,
      PLAYGROUND_TOKEN: "",
      OPENAI_API_KEY: "",
      ANTHROPIC_API_KEY: "",
      OLLAMA_HOST: "http://127.0.0.1:9",
      OCI_CONFIG_FILE: "/nonexistent/locus-test-oci-config",
      ...env,
    },
  });
  started.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const serving = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (stdout.includes(`serving on http://127.0.0.1:${port}`)) resolve();
    });
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before serving`)));
  });
  // A start expected to fail never serves; only the tests that await this care.
  serving.catch(() => undefined);
  return { child, stdout: () => stdout, stderr: () => stderr, serving, exited };
}

function listenOn(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function expectStopsWithin(signal: NodeJS.Signals, start: NpmStart, port: number) {
  const pid = start.child.pid;
  if (pid === undefined) throw new Error("npm start has no pid");
  const signalledAt = performance.now();
  process.kill(pid, signal);
  await start.exited;
  // Not polled: once npm has exited, nothing it started may still hold the port.
  const probe = await listenOn(port);
  const elapsedMs = performance.now() - signalledAt;
  expect(probe, `port ${port} still taken after npm start exited`).not.toBeNull();
  if (probe) await close(probe);
  expect(elapsedMs).toBeLessThan(STOP_BOUND_MS);
}

/**
 * Takes the port the moment `next start` is spawned for it, after `npm start` checked that the
 * port was free and before Next listens (Next loads its server first): the race a second
 * process can win. Linux: finds the process through /proc.
 */
function takePortWhenNextStarts(port: number): Promise<Server> {
  const wanted = `start --hostname 127.0.0.1 --port ${port}`;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        let commandLine = "";
        try {
          commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
        } catch {
          continue; // gone meanwhile
        }
        if (!commandLine.includes(wanted)) continue;
        clearInterval(timer);
        void listenOn(port).then((server) => {
          if (server) resolve(server);
        });
        return;
      }
    }, 2);
  });
}

describe("npm start", () => {
  it("stops the server and frees the port on a SIGTERM to npm's pid, even with a run streaming", async () => {
    const port = await freePort();
    const start = npmStart(port);
    await start.serving;
    // An answer still streaming keeps Next's graceful close waiting; the stop may not.
    const streaming = await fetch(`http://127.0.0.1:${port}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "Write a long answer, please." }],
        targets: [{ model: "demo:slow", params: { maxTokens: 4000 } }],
      }),
    });
    expect(streaming.status).toBe(200);
    const reader = streaming.body?.getReader();
    await reader?.read();
    await expectStopsWithin("SIGTERM", start, port);
    await reader?.cancel().catch(() => undefined);
  }, 60_000);

  it("stops the server and frees the port on a SIGINT to npm's pid", async () => {
    const port = await freePort();
    const start = npmStart(port);
    await start.serving;
    await expectStopsWithin("SIGINT", start, port);
  }, 60_000);

  it("takes a HOSTNAME equal to the machine's name (as containers set it) as unset: loopback", async () => {
    const port = await freePort();
    const start = npmStart(port, { HOSTNAME: machineHostname() });
    await start.serving;
    expect(start.stdout()).toContain(`serving on http://127.0.0.1:${port}`);
    await expectStopsWithin("SIGTERM", start, port);
  }, 60_000);

  it("refuses to listen beyond loopback without PLAYGROUND_TOKEN", async () => {
    const port = await freePort();
    const start = npmStart(port, { HOSTNAME: "0.0.0.0" });
    expect(await start.exited).not.toBe(0);
    expect(start.stderr()).toContain("PLAYGROUND_TOKEN");
    expect(start.stdout()).not.toContain("serving on");
  }, 60_000);

  it("ends at once with one line naming the taken port and how to choose another", async () => {
    const port = await freePort();
    const holder = await listenOn(port);
    if (!holder) throw new Error(`could not take port ${port}`);
    try {
      const start = npmStart(port);
      const code = await start.exited;
      expect(code).not.toBe(0);
      // npm prints its own banner (`> locus-playground@… start`, `> exec …`) on stdout.
      const ours = [...start.stdout().split("\n"), ...start.stderr().split("\n")].filter(
        (line) => line.trim() !== "" && !line.startsWith("> "),
      );
      expect(ours).toHaveLength(1);
      expect(ours[0]).toContain(String(port));
      expect(ours[0]).toContain("PORT=");
      expect(start.stdout()).not.toContain("serving on");
    } finally {
      await close(holder);
    }
  }, 60_000);

  it("says nothing of serving when another process wins the port after the check", async () => {
    const port = await freePort();
    const taken = takePortWhenNextStarts(port);
    const start = npmStart(port);
    const code = await start.exited;
    const holder = await taken;
    await close(holder);
    expect(code).not.toBe(0);
    expect(start.stdout()).not.toContain("serving on");
    expect(start.stderr().trim().split("\n")).toEqual([
      expect.stringContaining(`port ${port} on 127.0.0.1 is already in use`),
    ]);
  }, 60_000);
});
