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
import { failureFrom } from "../test/support/wire/answers";
import { loadFixture, replay } from "../test/support/wire/replay";

const attemptsByPrompt = new Map<string, number>();

/** `true` when it answers (the caller must not answer again); the answer is then on its way. */
export function answerScriptedFailure(options: {
  response: ServerResponse;
  prompt: string;
}): boolean {
  const { response, prompt } = options;
  const retryAfter = /\[429-then-ok:(\d+)\]/.exec(prompt);
  if (retryAfter?.[1]) {
    const attempts = (attemptsByPrompt.get(prompt) ?? 0) + 1;
    attemptsByPrompt.set(prompt, attempts);
    if (attempts > 1) return false;
    const failure = failureFrom(
      "openai/error-429",
      "Rate limit reached (the fake OpenAI server, on purpose)",
      { "retry-after": retryAfter[1] },
    );
    void replay(response, failure);
    return true;
  }
  if (prompt.includes("[stream-error-429]")) {
    void replay(response, loadFixture("openai/error-in-stream-429"));
    return true;
  }
  return false;
}
