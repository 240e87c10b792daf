/**
 * Model-family predicates for the chat-completions request shape (locus `native/openai.py`).
 * Names are matched after lower-casing and dropping a vendor namespace such as `openai.`,
 * because OCI serves OpenAI models as `openai.gpt-5` and the rules must hold there too.
 */

/** `openai.o3-mini` → `o3-mini`; only a purely alphabetic namespace counts, so `gpt-4.1` is kept. */
export function normalizeOpenAIModelName(modelId: string): string {
  const lower = modelId.trim().toLowerCase();
  const match = /^[a-z]+\.(.+)$/.exec(lower);
  return match?.[1] ?? lower;
}

/**
 * Reasoning models (o1, o3, o4, gpt-5*) reject `max_tokens` and every sampling parameter other
 * than its default. locus missed `o4`; the `o<digit>` must end the name or be followed by a
 * separator so a hypothetical `o10` is not swept in.
 */
export function isOpenAIReasoningModel(modelId: string): boolean {
  const name = normalizeOpenAIModelName(modelId);
  return /^o[134](?:$|[-.])/.test(name) || name.startsWith("gpt-5");
}

/** The `*-search-preview` models reject `temperature` and `top_p`. */
export function isOpenAISearchPreviewModel(modelId: string): boolean {
  return normalizeOpenAIModelName(modelId).includes("search-preview");
}
