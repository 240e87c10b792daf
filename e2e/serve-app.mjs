// The Playwright web server: the production build (built first if missing or stale), served
// as `npm start` serves it (`scripts/serve.mjs`) on 127.0.0.1 with the port and environment the
// config passes in.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
if (!buildIfNeeded()) process.exit(1);
const port = process.env.PORT ?? "3100";
const server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, HOSTNAME: "127.0.0.1", PORT: port, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code) => process.exit(code ?? 0));
