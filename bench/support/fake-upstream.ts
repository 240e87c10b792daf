/**
 * The benches' fake OpenAI upstream, in its own process (so its work never counts as the
 * server's): a fixed answer with fixed pacing on every request. It also accepts OTLP/HTTP
 * trace exports (`POST /v1/traces`), so a server exporting spans has a collector to reach.
 * Prints `{"url": …}` on its first line once listening.
 */
import { sleep, startFakeServer } from "@/test/support/fake-http-server";
import { openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";
import { CHUNK_INTERVAL_MS, CHUNKS, MODEL, TTFT_MS } from "./upstream-pacing";

const pieces = Array.from({ length: CHUNKS }, (_, index) => `token${index} `);
const answer = openAIAnswer({ model: MODEL, pieces });
const server = await startFakeServer(async (request, response) => {
  if (request.url === "/v1/traces") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  await sleep(TTFT_MS);
  await replay(response, answer, { delayMs: CHUNK_INTERVAL_MS });
});
// The fake keeps every request for tests; a benchmark only needs the answers.
setInterval(() => server.requests.splice(0), 1_000).unref();
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
