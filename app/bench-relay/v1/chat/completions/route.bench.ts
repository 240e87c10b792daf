/**
 * `POST /bench-relay/v1/chat/completions`: the floor an OpenAI-compatible relay pays on this
 * server, for `bench:gateway`. It reads the body, makes the same streamed call through the
 * `openai` SDK (`OPENAI_BASE_URL` points at the bench's fake upstream) and writes each chunk
 * back as the SDK's wire frame, with `[DONE]` at the end: no key, validation, run manager,
 * translation or recording. The bench's clients are then the same `openai` SDK on every
 * path, so no path is measured with a cheaper client than another.
 *
 * Only the bench's build routes it (see `app/bench-relay/route.bench.ts`).
 */
import OpenAI from "openai";
import { SSE_HEADERS } from "@/lib/http/sse";

let client: OpenAI | undefined;
const encoder = new TextEncoder();

export async function POST(request: Request): Promise<Response> {
  client ??= new OpenAI({ maxRetries: 0 });
  const body = (await request.json()) as OpenAI.ChatCompletionCreateParamsStreaming;
  // Like the gateway, answer once the upstream has: its status is then the client's.
  const upstream = await client.chat.completions.create({
    ...body,
    model: body.model.replace(/^openai:/, ""),
    stream: true,
  });
  const chunks = upstream[Symbol.asyncIterator]();
  const frames = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) {
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      } else controller.enqueue(encoder.encode(`data: ${JSON.stringify(value)}\n\n`));
    },
    cancel() {
      upstream.controller.abort();
    },
  });
  return new Response(frames, { headers: SSE_HEADERS });
}
