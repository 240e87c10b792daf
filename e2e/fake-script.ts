/**
 * What the fake providers answer, decided by markers in the prompt. Specs import the same
 * functions to know exactly what each column must show (text and token counts).
 *
 * - `[slow]`        tokens paced slowly (about 8 s in all), for stop and reload tests
 * - `[tall]`        forty one-word paragraphs, paced as slowly: an answer taller than its column
 * - `[fail-500]`    the Anthropic fake answers 500; `[fail-500:openai]` picks the provider
 * - `[xss]`         the answer carries `<img src=x onerror=…>` and a `<script>` element
 * - `[tool]`        the OpenAI fake answers with a `get_weather` tool call
 * - `[json]`        the answer is a JSON object (as under a response schema)
 * - `[reasoning]`   the provider's recorded reasoning stream is replayed (`REASONING_FIXTURES`)
 * - `[code]`        the answer is a TypeScript code block (`CODE_ANSWER`)
 */
export type FakeProvider = "openai" | "anthropic" | "ollama";

export const FAKE_PROVIDERS: FakeProvider[] = ["openai", "anthropic", "ollama"];

/** The model the Ollama fake lists in `/api/tags`. */
export const FAKE_OLLAMA_MODEL = "fake-llama:1b";

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
  /** `null` where the provider reports no such count (the column then shows a dash). */
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
}

export interface FakeAnswer {
  /** Streamed one per chunk; joined, they are the whole answer. */
  chunks: string[];
  delayMs: number;
  usage: FakeUsage;
  failStatus: number | null;
  toolCall: { id: string; name: string; arguments: Record<string, unknown> } | null;
}

export const XSS_PAYLOAD =
  'Careful: <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script> end.';

/**
 * The recorded streams with reasoning, replayed as they are for `[reasoning]`: OpenAI-compatible
 * `reasoning_content` (with `reasoning_tokens` in its usage), Anthropic thinking with its
 * signature, Ollama `thinking`.
 */
export const REASONING_FIXTURES: Record<FakeProvider, string> = {
  openai: "openai/reasoning",
  anthropic: "anthropic/thinking",
  ollama: "ollama/thinking",
};

/** What `[code]` answers: prose around a fenced TypeScript block, for the highlighter. */
export const CODE_ANSWER = [
  "Here is the function:",
  "",
  "```ts",
  "export function double(value: number): number {",
  '  const label = "double";',
  "  return value * 2; // twice",
  "}",
  "```",
  "",
  "That is all.",
].join("\n");

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function failingProvider(prompt: string): FakeProvider | null {
  const match = /\[fail-500(?::(openai|anthropic|ollama))?\]/.exec(prompt);
  if (!match) return null;
  return (match[1] as FakeProvider | undefined) ?? "anthropic";
}

export function answerText(options: { provider: FakeProvider; prompt: string }): string {
  const { provider, prompt } = options;
  if (prompt.includes("[xss]")) return XSS_PAYLOAD;
  if (prompt.includes("[code]")) return CODE_ANSWER;
  if (prompt.includes("[json]")) return JSON.stringify({ provider, verdict: "fine", score: 7 });
  if (prompt.includes("[slow]")) {
    return Array.from({ length: 60 }, (_, index) => `${provider}-${index + 1}`).join(" ");
  }
  if (prompt.includes("[tall]")) {
    return Array.from({ length: 40 }, (_, index) => `${provider}-${index + 1}`).join("\n\n");
  }
  return [
    `Answer from the fake ${provider} server.`,
    "",
    "| provider | verdict |",
    "| --- | --- |",
    `| ${provider} | fine |`,
    "",
    `Closing line for ${provider}.`,
  ].join("\n");
}

/**
 * Cache counts as each real API reports them: OpenAI only reads (`cached_tokens`), Anthropic
 * reads and writes, Ollama reports neither.
 */
const CACHE: Record<FakeProvider, { read: number | null; write: number | null }> = {
  openai: { read: 6, write: null },
  anthropic: { read: 8, write: 4 },
  ollama: { read: null, write: null },
};

export function fakeAnswer(options: { provider: FakeProvider; prompt: string }): FakeAnswer {
  const { provider, prompt } = options;
  const slow = prompt.includes("[slow]") || prompt.includes("[tall]");
  const toolCall =
    provider === "openai" && prompt.includes("[tool]")
      ? { id: "call_fake_1", name: "get_weather", arguments: { city: "Paris", unit: "celsius" } }
      : null;
  const chunks = toolCall ? [] : words(answerText(options));
  return {
    chunks,
    delayMs: slow ? 130 : 25,
    usage: {
      inputTokens: 20 + words(prompt).length,
      outputTokens: toolCall ? 12 : chunks.length,
      cacheReadTokens: CACHE[provider].read,
      cacheWriteTokens: CACHE[provider].write,
    },
    failStatus: failingProvider(prompt) === provider ? 500 : null,
    toolCall,
  };
}
