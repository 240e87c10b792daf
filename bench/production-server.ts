/**
 * The production build served for a benchmark, on a free port and a throwaway database: as
 * `npm start` serves it (`scripts/serve.mjs`), or by plain `next start`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export interface ProductionServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  child: ChildProcess;
  close: () => void;
}

function freePort(): Promise<number> {
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

/** Starts the server on the existing build and resolves once `/api/health` answers. */
export async function startProductionServer(
  options: { env?: Record<string, string>; plainNextStart?: boolean; name?: string } = {},
): Promise<ProductionServer> {
  const port = await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), `locus-${options.name ?? "bench"}-`));
  const child = spawn(
    process.execPath,
    options.plainNextStart
      ? [
          path.join(root, "node_modules", "next", "dist", "bin", "next"),
          "start",
          "--hostname",
          "127.0.0.1",
          "--port",
          String(port),
        ]
      : [path.join(root, "scripts", "serve.mjs")],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(directory, "bench.db")}`,
        PLAYGROUND_TOKEN: "",
        NEXT_TELEMETRY_DISABLED: "1",
        ...options.env,
        HOSTNAME: "127.0.0.1",
        PORT: String(port),
      },
    },
  );
  const close = () => {
    child.kill("SIGTERM");
    rmSync(directory, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) {
      close();
      throw new Error(`the production server exited with ${child.exitCode}`);
    }
    const healthy = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url, child, close };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  close();
  throw new Error("the production server did not answer /api/health within a minute");
}
