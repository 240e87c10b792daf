/**
 * Entered prices for the OCI Generative AI models that `lib/models/metadata.ts` knows.
 * genai-prices has no OCI rows, so these are seeded into `price_overrides` when the database
 * opens (lib/db/seed.ts); a person can replace them with `PUT /api/prices`.
 *
 * OCI bills Cohere and Meta models on demand per character (one character is one
 * "transaction", priced per 10,000); they are converted here at about 4 characters per token,
 * so they are approximate. Google and xAI models are listed per million tokens at the
 * vendors' own rates.
 */

export interface SeedPrice {
  modelId: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cacheReadPerMillion: number | null;
  note: string;
}

const PER_CHARACTER_NOTE =
  "approximate, check OCI price list: billed per character, converted at ~4 characters per token";
const PER_TOKEN_NOTE = "approximate, check OCI price list: per million tokens, base tier";

/** USD per 10,000 characters → USD per million tokens at 4 characters per token. */
function perCharacter(usdPer10kCharacters: number): number {
  return Math.round(usdPer10kCharacters * 400 * 1e6) / 1e6;
}

function characterPriced(modelId: string, usdPer10kCharacters: number): SeedPrice {
  const rate = perCharacter(usdPer10kCharacters);
  return {
    modelId,
    inputPerMillion: rate,
    outputPerMillion: rate,
    cacheReadPerMillion: null,
    note: `${PER_CHARACTER_NOTE} ($${usdPer10kCharacters} per 10,000 characters)`,
  };
}

function tokenPriced(
  modelId: string,
  inputPerMillion: number,
  outputPerMillion: number,
  cacheReadPerMillion: number | null = null,
): SeedPrice {
  return { modelId, inputPerMillion, outputPerMillion, cacheReadPerMillion, note: PER_TOKEN_NOTE };
}

export const OCI_SEED_PRICES: readonly SeedPrice[] = [
  // Cohere: "Large Cohere" and "Small Cohere" on-demand products.
  characterPriced("cohere.command-r-plus", 0.0156),
  characterPriced("cohere.command-r-plus-08-2024", 0.0156),
  characterPriced("cohere.command-a-03-2025", 0.0156),
  characterPriced("cohere.command-r-08-2024", 0.0015),
  // Meta: "Large Meta" ($0.72 per million tokens as commonly listed) and the 405B product.
  characterPriced("meta.llama-3.3-70b-instruct", 0.0018),
  characterPriced("meta.llama-4-scout-17b-16e-instruct", 0.0018),
  characterPriced("meta.llama-3.1-405b-instruct", 0.0267),
  // Google Gemini (prompts up to 200k tokens).
  tokenPriced("google.gemini-2.5-pro", 1.25, 10),
  tokenPriced("google.gemini-2.5-flash", 0.3, 2.5),
  // xAI Grok.
  tokenPriced("xai.grok-4", 3, 15, 0.75),
  tokenPriced("xai.grok-4-fast-reasoning", 0.2, 0.5, 0.05),
];

export function seedOverrideId(modelId: string): string {
  return `seed-oci-${modelId}`;
}
