/**
 * Failures the OpenAI fake plays before (or instead of) its usual answer, picked by a marker in
 * the prompt, for the retry and stream-error specs (issue 14):
 *
 * - `[429-then-ok:S]`  the first request for this prompt answers 429 with `retry-after: S`;
 *                      the next one answers as usual
 * - `[stream-error-429]`  a 200 stream with one delta, then an OpenAI-compatible error event
 *                      `{"error": {"status_code": 429, …}}` in place of the rest
 *
 * Kept apart from `fake-providers.ts`, which calls `answerScriptedFailure` first.
 */
import type { ServerResponse } from "node:http";

const attemptsByPrompt = new Map<string, number>();

/** `true` when it answered (the caller must not answer again). */
export function answerScriptedFailure(options: {
  response: ServerResponse;
  prompt: string;
  model: string;
}): boolean {
  const { response, prompt, model } = options;
  const retryAfter = /\[429-then-ok:(\d+)\]/.exec(prompt);
  if (retryAfter) {
    const attempts = (attemptsByPrompt.get(prompt) ?? 0) + 1;
    attemptsByPrompt.set(prompt, attempts);
    if (attempts > 1) return false;
    response.writeHead(429, { "content-type": "application/json", "retry-after": retryAfter[1] });
    response.end(
      JSON.stringify({
        error: {
          message: "Rate limit reached (the fake OpenAI server, on purpose)",
          type: "requests",
          code: "rate_limit_exceeded",
        },
      }),
    );
    return true;
  }
  if (prompt.includes("[stream-error-429]")) {
    const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1, model };
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: "partial " }, finish_reason: null }] })}\n\n`,
    );
    response.end(
      `data: ${JSON.stringify({ error: { message: "Rate limit reached mid-stream", code: null, status_code: 429 } })}\n\n`,
    );
    return true;
  }
  return false;
}
