/**
 * `npm start`: build the production app when the build is missing or older than the source,
 * refuse an unsafe listen address, then serve with `scripts/serve.mjs` (Next's handler behind
 * our listener, which serves the streaming routes itself). The database is created and migrated
 * by `instrumentation.ts` when the server boots.
 */
import { spawnSync } from "node:child_process";
import { hostname as machineHostname } from "node:os";
import path from "node:path";
import { checkListenAddress } from "../lib/http/listen-guard";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
const serveScript = path.join(root, "scripts", "serve.mjs");
/**
 * Container runtimes export HOSTNAME as the machine's own name; taking that as a listen
 * address would silently expose the app (or refuse to start), so it counts as unset.
 */
function listenHostname(): string {
  const configured = process.env.HOSTNAME?.trim();
  if (!configured || configured === machineHostname()) return "127.0.0.1";
  return configured;
}

const hostname = listenHostname();
const port = process.env.PORT?.trim() || "3000";
const verdict = checkListenAddress({ hostname, token: process.env.PLAYGROUND_TOKEN });
if (!verdict.ok) {
  console.error(`locus-playground: ${verdict.message}`);
  process.exit(1);
}

if (!buildIfNeeded()) {
  console.error("locus-playground: next build failed");
  process.exit(1);
}

console.log(`locus-playground: serving on http://${hostname}:${port}`);
const server = spawnSync(process.execPath, [serveScript], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, HOSTNAME: hostname, PORT: port },
});
process.exit(server.status ?? 0);
