/**
 * The production build, for tests and benchmarks that drive the real server: built when
 * missing or stale (cached in `.next`), then served by `next start` — what `npm start` runs —
 * on 127.0.0.1, a free port and a throwaway database.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";

export const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const BUILD_LOCK = path.join(root, "test-results", "production-build.lock");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds when needed, one builder at a time: Vitest runs test files in parallel processes,
 * and two `next build`s writing one `.next` corrupt it.
 */
export async function ensureProductionBuild(): Promise<void> {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      writeFileSync(BUILD_LOCK, String(process.pid), { flag: "wx" });
      break;
    } catch {
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(BUILD_LOCK, "utf8"));
      } catch {
        continue; // released meanwhile
      }
      // A builder that died leaves its lock behind (an empty one is still being written).
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
        rmSync(BUILD_LOCK, { force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (!buildIfNeeded()) throw new Error("next build failed");
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export interface ProductionServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  child: ChildProcess;
  /** Stops the server, waits for it to exit and removes its database. */
  close: () => Promise<void>;
}

/**
 * Starts `next start` on the existing build and resolves once `/api/health` answers (any
 * status: a token may be set). Nothing reaches a real provider unless `env` says so.
 */
export async function startProductionServer(
  options: {
    env?: Record<string, string>;
    name?: string;
    /** Node's own flags for the server process (`--cpu-prof`, say, which NODE_OPTIONS refuses). */
    nodeArgs?: readonly string[];
  } = {},
): Promise<ProductionServer> {
  const port = await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), `locus-${options.name ?? "server"}-`));
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      nextBin,
      "start",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(directory, "playground.db")}`,
        PLAYGROUND_TOKEN: "",
        OPENAI_API_KEY: "",
        ANTHROPIC_API_KEY: "",
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
        ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
        OLLAMA_HOST: "http://127.0.0.1:9",
        OCI_CONFIG_FILE: "/nonexistent/locus-test-oci-config",
        OCI_AUTH_TYPE: "",
        NEXT_TELEMETRY_DISABLED: "1",
        ...options.env,
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(directory, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`next start exited with ${child.exitCode}`);
    }
    const answered = await fetch(`${url}/api/health`).then(
      (response) => response.arrayBuffer().then(() => true),
      () => false,
    );
    if (answered) return { url, child, close };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await close();
  throw new Error("next start did not answer /api/health within a minute");
}
