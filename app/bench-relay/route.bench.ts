/**
 * `POST /bench-relay`: the floor any relay of these streams pays, for `bench:stream-overhead`.
 * It reads the body, calls the `openai` SDK once per target (`OPENAI_BASE_URL` points at the
 * bench's fake upstream) and writes each delta as an SSE frame: no validation, run manager or
 * recording.
 *
 * Only the bench's build routes it: `.bench.ts` is a page extension there alone
 * (`next.config.mjs`), so the production build leaves this file out.
 */
import OpenAI from "openai";
import { encodeSseEvent, SSE_HEADERS } from "@/lib/http/sse";

let client: OpenAI | undefined;

export async function POST(request: Request): Promise<Response> {
  client ??= new OpenAI({ maxRetries: 0 });
  const sdk = client;
  const body = (await request.json()) as {
    messages: OpenAI.ChatCompletionMessageParam[];
    targets: Array<{ model: string }>;
  };
  const frames = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = body.targets.length;
      const relayOne = async (index: number, model: string) => {
        let status = "ok";
        try {
          const stream = await sdk.chat.completions.create({
            model: model.replace(/^openai:/, ""),
            messages: body.messages,
            stream: true,
            stream_options: { include_usage: true },
          });
          for await (const chunk of stream) {
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) controller.enqueue(encodeSseEvent({ type: "text-delta", index, delta }));
          }
        } catch {
          status = "error";
        }
        open -= 1;
        try {
          controller.enqueue(encodeSseEvent({ type: "call-finish", index, status }));
          if (open === 0) controller.close();
        } catch {
          // The client went away; nothing is left to tell it.
        }
      };
      body.targets.forEach((target, index) => void relayOne(index, target.model));
    },
  });
  return new Response(frames, { headers: SSE_HEADERS });
}
