/**
 * Fakes for the evaluation tests and benchmark: OpenAI and Anthropic servers that answer a
 * capitals question in their real wire formats (from the recorded fixtures), judge like a
 * judge when asked with a rubric, and can hold the questions about chosen countries until the
 * test lets them go. Helpers to save a prompt and a test set and to follow an evaluation.
 */
import type { ServerResponse } from "node:http";
import type { EvaluationDetailResponse } from "@/lib/evaluations/evaluation-api";
import type { AppServer } from "@/test/support/app-server";
import type { FakeHandler, RecordedRequest } from "@/test/support/fake-http-server";
import { modelOf } from "@/test/support/runs-integration";
import { anthropicAnswer, openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

export const CAPITALS: Record<string, string> = {
  France: "Paris",
  Peru: "Lima",
  Japan: "Tokyo",
  Kenya: "Nairobi",
};

/** The request's messages as JSON text (the prompt, or the judge's rubric and response). */
export function messagesText(request: RecordedRequest): string {
  const body = request.json() as { messages?: unknown };
  return JSON.stringify(body.messages ?? []);
}

export function isJudgeRequest(request: RecordedRequest): boolean {
  return messagesText(request).includes("<rubric>");
}

/** The country a (non-judge) request asks about. */
export function countryOf(request: RecordedRequest): string | null {
  const text = messagesText(request);
  return Object.keys(CAPITALS).find((country) => text.includes(country)) ?? null;
}

export class Hold {
  private countries = new Set<string>();
  private release: () => void = () => undefined;
  private released: Promise<void> = Promise.resolve();

  /** Questions about these countries wait until `open()` (or until the client goes). */
  close(countries: string[]): void {
    this.countries = new Set(countries);
    this.released = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.countries.clear();
    this.release();
  }

  async wait(country: string | null, response: ServerResponse): Promise<void> {
    if (country === null || !this.countries.has(country)) return;
    await Promise.race([
      this.released,
      new Promise<void>((resolve) => response.once("close", () => resolve())),
    ]);
  }
}

/**
 * Answers the capital (`wrong` maps a country to a wrong answer); a judge request scores 5 when
 * the response is the right capital, else 2. `delayMs` paces the frames.
 */
export function capitalsAnswering(options: {
  format: "openai" | "anthropic";
  wrong?: Record<string, string>;
  hold?: Hold;
  delayMs?: number;
}): FakeHandler {
  return async (request, response) => {
    const model = modelOf(request);
    let text: string;
    if (isJudgeRequest(request)) {
      const answered = /<response>\\n([^\\]*)/.exec(messagesText(request))?.[1] ?? "";
      const right = Object.values(CAPITALS).includes(answered.trim());
      text = JSON.stringify({ score: right ? 5 : 2, reason: right ? "correct" : "wrong city" });
    } else {
      const country = countryOf(request);
      await options.hold?.wait(country, response);
      if (response.destroyed || response.writableEnded) return;
      text = (country && (options.wrong?.[country] ?? CAPITALS[country])) ?? "I do not know";
    }
    const pieces = [text];
    await replay(
      response,
      options.format === "openai"
        ? openAIAnswer({
            model,
            pieces,
            usage: { prompt_tokens: 40, completion_tokens: 3, total_tokens: 43 },
          })
        : anthropicAnswer({ model, pieces, usage: { input_tokens: 40, output_tokens: [3] } }),
      { delayMs: options.delayMs },
    );
  };
}

/** An error answer, or the success shape the caller names. */
export type ApiAnswer<T> = T & { error?: { code: string; message: string } };

export async function postJson<T = Record<string, unknown>>(
  app: AppServer,
  path: string,
  body: unknown,
): Promise<{ status: number; body: ApiAnswer<T> }> {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function getEvaluation(
  app: AppServer,
  evaluationId: string,
  query = "",
): Promise<EvaluationDetailResponse> {
  const response = await fetch(`${app.url}/api/evaluations/${evaluationId}${query}`);
  if (response.status !== 200) throw new Error(`GET evaluation: ${response.status}`);
  return (await response.json()) as EvaluationDetailResponse;
}

/** Polls until the evaluation's status is `status` (no time is asserted, only waited for). */
export async function waitForStatus(
  app: AppServer,
  evaluationId: string,
  status: EvaluationDetailResponse["status"],
  timeoutMs = 30_000,
): Promise<EvaluationDetailResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await getEvaluation(app, evaluationId);
    if (detail.status === status) return detail;
    if (Date.now() > deadline) {
      throw new Error(`evaluation still ${detail.status} (${JSON.stringify(detail.progress)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Polls until at least `done` cells ended. */
export async function waitForDone(
  app: AppServer,
  evaluationId: string,
  done: number,
  timeoutMs = 30_000,
): Promise<EvaluationDetailResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await getEvaluation(app, evaluationId);
    if (detail.progress.done >= done) return detail;
    if (Date.now() > deadline) throw new Error(`only ${detail.progress.done} cells ended`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Saves the capitals prompt and a test set of `countries`; returns their ids. */
export async function saveCapitals(
  app: AppServer,
  options: { name: string; countries: string[] },
): Promise<{ promptId: string; datasetId: string }> {
  const prompt = await postJson<{ promptId: string }>(app, "/api/prompts", {
    name: options.name,
    system: "Answer with the city only.",
    template: "What is the capital of {{country}}?",
  });
  if (prompt.status !== 201) throw new Error(`prompt: ${JSON.stringify(prompt.body)}`);
  const dataset = await postJson<{ datasetId: string }>(app, "/api/datasets", {
    name: options.name,
    rows: options.countries.map((country) => ({
      vars: { country },
      expected: CAPITALS[country],
    })),
  });
  if (dataset.status !== 201) throw new Error(`dataset: ${JSON.stringify(dataset.body)}`);
  return { promptId: prompt.body.promptId, datasetId: dataset.body.datasetId };
}
