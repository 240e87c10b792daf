// The Playwright web server: the production build (built first if missing or stale), served by
// Next's own production server as `npm start` runs it, on 127.0.0.1 with the port and
// environment the config passes in.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
if (!buildIfNeeded()) process.exit(1);
const port = process.env.PORT ?? "3100";
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const server = spawn(
  process.execPath,
  [nextBin, "start", "--hostname", "127.0.0.1", "--port", port],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: port, NEXT_TELEMETRY_DISABLED: "1" },
  },
);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code) => process.exit(code ?? 0));
