import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "@/lib/db/client";
import { upsertPriceOverride } from "@/lib/db/queries";
import { GENAI_PRICES_VERSION } from "@/lib/pricing/bundled-prices";
import { GET } from "./route";

let directory = "";
const saved = { database: process.env.DATABASE_URL, ollama: process.env.OLLAMA_HOST };

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-playground-models-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "models.db")}`;
  // Nothing listens here: Ollama is listed without models, quickly.
  process.env.OLLAMA_HOST = "http://127.0.0.1:9";
});

afterAll(() => {
  closeDatabase(getDb());
  rmSync(directory, { recursive: true, force: true });
  process.env.DATABASE_URL = saved.database;
  process.env.OLLAMA_HOST = saved.ollama;
});

interface PriceEntry {
  status: string;
  source: string | null;
  rates: Record<string, number | null> | null;
  tiers: unknown[];
}

interface ModelsBody {
  providers: Array<{ id: string; models: string[]; local: boolean; configuration: unknown }>;
  prices: Record<string, PriceEntry>;
}

async function models(query = ""): Promise<ModelsBody> {
  const response = await GET(new Request(`http://127.0.0.1:3000/api/models${query}`));
  expect(response.status).toBe(200);
  return (await response.json()) as ModelsBody;
}

describe("GET /api/models prices", () => {
  it("keeps the provider list as it was and prices every listed model", async () => {
    const body = await models();
    expect(body.providers.map((provider) => provider.id).sort()).toEqual([
      "anthropic",
      "demo",
      "oci",
      "ollama",
      "openai",
    ]);
    for (const provider of body.providers) {
      expect(Object.keys(provider).sort()).toEqual([
        "configuration",
        "id",
        "label",
        "local",
        "models",
        "modelsError",
      ]);
      for (const model of provider.models) expect(body.prices[model], model).toBeDefined();
    }
    expect(body.prices["openai:gpt-4o-mini"]).toMatchObject({
      status: "priced",
      source: `genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o-mini`,
      rates: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    });
    expect(body.prices["demo:chat"]).toMatchObject({ status: "local", rates: null });
  });

  it("prices models asked for by name, unpriced when unknown", async () => {
    const body = await models(
      "?model=openai:gpt-4o-mini-2024-07-18&model=openai:my-finetune&model=ollama:llama3.2:1b",
    );
    expect(body.prices["openai:gpt-4o-mini-2024-07-18"]).toMatchObject({
      status: "priced",
      rates: { outputPerMillion: 0.6 },
    });
    expect(body.prices["openai:my-finetune"]).toEqual({
      status: "unpriced",
      source: null,
      rates: null,
      tiers: [],
    });
    expect(body.prices["ollama:llama3.2:1b"]).toMatchObject({ status: "local" });
  });

  it("follows the override table, as the recorded cost will", async () => {
    const override = upsertPriceOverride({
      override: {
        provider: "ollama",
        modelPattern: "llama3.2:*",
        inputPerMillion: 0.01,
        outputPerMillion: 0.02,
        effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      },
    });
    const body = await models("?model=ollama:llama3.2:1b");
    expect(body.prices["ollama:llama3.2:1b"]).toMatchObject({
      status: "priced",
      source: `override:${override.id}`,
      rates: { inputPerMillion: 0.01, outputPerMillion: 0.02 },
    });
  });

  it("answers 400 for a malformed model or too many of them", async () => {
    for (const query of [
      "?model=nocolon",
      `?${Array.from({ length: 33 }, (_, index) => `model=demo:m${index}`).join("&")}`,
    ]) {
      const response = await GET(new Request(`http://127.0.0.1:3000/api/models${query}`));
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "invalid_request",
      );
    }
  });
});
