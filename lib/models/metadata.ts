/**
 * Model metadata (locus `metadata.py`, extended with current models): context window, max
 * output, prompt-caching support and image input. Prices are not here: they live in `lib/pricing`.
 */

export interface ModelMetadata {
  modelId: string;
  family: string;
  contextLength: number;
  maxOutputTokens: number;
  supportsPromptCaching: boolean;
  /** Whether the model takes images in a user message; `null` when not known. */
  supportsImageInput: boolean | null;
}

type Row = [id: string, family: string, context: number, maxOutput: number, caching: boolean];

const K = 1_000;
const M = 1_000_000;

const ROWS: Row[] = [
  // OpenAI
  ["gpt-4o", "openai", 128 * K, 16_384, true],
  ["gpt-4o-mini", "openai", 128 * K, 16_384, true],
  ["gpt-4.1", "openai", 1 * M, 32_768, true],
  ["gpt-4.1-mini", "openai", 1 * M, 32_768, true],
  ["gpt-4.1-nano", "openai", 1 * M, 32_768, true],
  ["gpt-5", "openai", 400 * K, 128 * K, true],
  ["gpt-5-mini", "openai", 400 * K, 64 * K, true],
  ["gpt-5-nano", "openai", 400 * K, 128 * K, true],
  ["gpt-5.1", "openai", 400 * K, 128 * K, true],
  // Newer GPT-5 point releases: the family's published window, assumed until listed separately.
  ["gpt-5.2", "openai", 400 * K, 128 * K, true],
  ["gpt-5.4", "openai", 400 * K, 128 * K, true],
  ["gpt-5.4-mini", "openai", 400 * K, 128 * K, true],
  ["gpt-5.4-nano", "openai", 400 * K, 128 * K, true],
  ["o1", "openai", 200 * K, 100 * K, false],
  ["o3", "openai", 200 * K, 100 * K, false],
  ["o3-mini", "openai", 200 * K, 100 * K, false],
  ["o4-mini", "openai", 200 * K, 100 * K, false],
  // Anthropic
  ["claude-opus-4", "anthropic", 1 * M, 64 * K, true],
  ["claude-sonnet-4", "anthropic", 1 * M, 64 * K, true],
  ["claude-haiku-4", "anthropic", 200 * K, 16_384, true],
  ["claude-opus-4-1", "anthropic", 200 * K, 32 * K, true],
  ["claude-opus-4-5", "anthropic", 200 * K, 64 * K, true],
  ["claude-sonnet-4-5", "anthropic", 1 * M, 64 * K, true],
  ["claude-haiku-4-5", "anthropic", 200 * K, 64 * K, true],
  // Newer Claude releases named by the SDK: conservative 200k / 64k until listed separately.
  ["claude-sonnet-4-6", "anthropic", 200 * K, 64 * K, true],
  ["claude-opus-4-6", "anthropic", 200 * K, 64 * K, true],
  ["claude-opus-4-7", "anthropic", 200 * K, 64 * K, true],
  ["claude-opus-4-8", "anthropic", 200 * K, 64 * K, true],
  ["claude-3-7-sonnet", "anthropic", 200 * K, 64 * K, true],
  ["claude-3-5-haiku", "anthropic", 200 * K, 8_192, true],
  // Cohere on OCI
  ["cohere.command-r-plus", "cohere", 128 * K, 4_000, false],
  ["cohere.command-r-plus-08-2024", "cohere", 128 * K, 4_000, false],
  ["cohere.command-r-08-2024", "cohere", 128 * K, 4_000, false],
  ["cohere.command-a-03-2025", "cohere", 256 * K, 8_000, false],
  // Meta on OCI
  ["meta.llama-3.3-70b-instruct", "meta", 128 * K, 4_096, false],
  ["meta.llama-3.1-405b-instruct", "meta", 128 * K, 4_096, false],
  ["meta.llama-4-scout-17b-16e-instruct", "meta", 128 * K, 4_096, false],
  // Google on OCI
  ["google.gemini-2.5-pro", "google", 2 * M, 65_536, true],
  ["google.gemini-2.5-flash", "google", 1 * M, 65_536, true],
  // xAI on OCI
  ["xai.grok-4", "xai", 256 * K, 4_096, false],
  ["xai.grok-4-fast-reasoning", "xai", 256 * K, 4_096, false],
];

/** Listed models that take text only (the providers' model pages); every other row takes images. */
const TEXT_ONLY = new Set([
  "o3-mini",
  "cohere.command-r-plus",
  "cohere.command-r-plus-08-2024",
  "cohere.command-r-08-2024",
  "cohere.command-a-03-2025",
  "meta.llama-3.3-70b-instruct",
  "meta.llama-3.1-405b-instruct",
]);

const registry = new Map<string, ModelMetadata>(
  ROWS.map(([modelId, family, contextLength, maxOutputTokens, supportsPromptCaching]) => [
    modelId,
    {
      modelId,
      family,
      contextLength,
      maxOutputTokens,
      supportsPromptCaching,
      supportsImageInput: !TEXT_ONLY.has(modelId),
    },
  ]),
);

const STRIPPED_PREFIXES = new Set([
  "openai",
  "anthropic",
  "oci",
  "ollama",
  "google",
  "xai",
  "bedrock",
]);

/** Candidate ids, most specific first: as given, without a provider prefix, without a date. */
function candidates(raw: string): string[] {
  const result: string[] = [];
  let id = raw.trim().toLowerCase();
  result.push(id);
  // `oci:openai.gpt-5`, `anthropic/claude-…`, `openai.gpt-5`
  for (;;) {
    const match = /^([a-z]+)[:/.](.+)$/.exec(id);
    if (!match?.[1] || !match[2] || !STRIPPED_PREFIXES.has(match[1])) break;
    id = match[2];
    result.push(id);
  }
  // Dated snapshots: claude-sonnet-4-20250514, gpt-4o-2024-08-06, claude-3-5-haiku-latest
  const undated = id
    .replace(/-\d{8}$/, "")
    .replace(/-\d{4}-\d{2}-\d{2}$/, "")
    .replace(/-latest$/, "");
  if (undated !== id) result.push(undated);
  return result;
}

export function getModelMetadata(modelId: string): ModelMetadata | null {
  for (const candidate of candidates(modelId)) {
    const found = registry.get(candidate);
    if (found) return found;
  }
  return null;
}

/** Adds or replaces an entry (locus `register_metadata` overwrites too). */
export function registerModelMetadata(metadata: ModelMetadata): void {
  registry.set(metadata.modelId.toLowerCase(), metadata);
}

export function knownModelIds(family?: string): string[] {
  return [...registry.values()]
    .filter((metadata) => family === undefined || metadata.family === family)
    .map((metadata) => metadata.modelId)
    .sort();
}
