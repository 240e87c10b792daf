/**
 * An error that arrives inside a 200 stream, as OpenAI-compatible servers send it
 * (`data: {"error": {"code", "status_code", …}}`), fails the call with the kind the same
 * status would get answered up front — not `unknown` — and fails only its own column.
 */
import { describe, expect, it } from "vitest";
import {
  finishOf,
  modelOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const STREAMED_ERRORS: Record<string, Record<string, unknown>> = {
  "fails-429": { message: "Rate limit reached", type: "rate_limit", code: null, status_code: 429 },
  "fails-503": { message: "Engine overloaded", code: "service_unavailable", status_code: 503 },
  "fails-vllm": { object: "error", message: "bad", type: "BadRequestError", code: 400 },
};

const environment = setUpIntegrationEnvironment({
  openai: (request, response) => {
    const model = modelOf(request);
    const error = STREAMED_ERRORS[model];
    const answer = openAIAnswer({ model, pieces: ["partial "] });
    if (!error) return replay(response, answer);
    // The role chunk and one delta, then the error object in place of the rest.
    const frames = [...answer.frames.slice(0, 2), `data: ${JSON.stringify({ error })}\n\n`];
    return replay(response, { ...answer, frames });
  },
});

describe("errors inside a stream", () => {
  it("get the kind their status or code names, in their own column only", async () => {
    const events = await readEvents(
      await postRun(environment.app, {
        messages: [{ role: "user", content: "stream errors" }],
        targets: [
          { model: "openai:fails-429" },
          { model: "openai:fails-503" },
          { model: "openai:fails-vllm" },
          { model: "openai:gpt-4o-mini" },
        ],
      }),
    );
    expect(finishOf(events, 0)).toMatchObject({ status: "error", error: { code: "rate_limit" } });
    expect(finishOf(events, 1)).toMatchObject({ status: "error", error: { code: "overloaded" } });
    expect(finishOf(events, 2)).toMatchObject({ status: "error", error: { code: "format_error" } });
    expect(finishOf(events, 3)).toMatchObject({ status: "ok" });
  });
});
