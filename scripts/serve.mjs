// The production server: Next's request handler behind our own `node:http` listener, which
// first offers each request to the streaming routes served beside Next
// (`lib/server/direct-routes.ts`, registered by `instrumentation.ts`). Listens on HOSTNAME and
// PORT (127.0.0.1:3000 by default); `scripts/start.ts` checks the address before starting it.
import { createServer } from "node:http";
import path from "node:path";

// React and Next pick their production builds from NODE_ENV when they load, as `next start` sets it.
process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const { default: next } = await import("next");

const root = path.resolve(import.meta.dirname, "..");
const hostname = process.env.HOSTNAME || "127.0.0.1";
const port = Number(process.env.PORT || 3000);

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((incoming, outgoing) => {
  const direct = globalThis.__locusPlaygroundDirectRoutes;
  if (typeof direct === "function" && direct(incoming, outgoing)) return;
  void handle(incoming, outgoing);
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, hostname, resolve);
});
// Next loads the app (and runs instrumentation.ts) on its first request; make that ours, so
// the first person's run is already served directly. Any answer will do (a token may be set).
await fetch(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/api/health`)
  .then((response) => response.arrayBuffer())
  .catch(() => undefined);
console.log(`locus-playground: ready on http://${hostname}:${port}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  });
}
