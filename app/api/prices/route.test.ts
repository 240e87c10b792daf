import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "@/lib/db/client";
import { GENAI_PRICES_VERSION } from "@/lib/pricing/bundled-prices";
import { GET, PUT } from "./route";

let directory = "";

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-playground-prices-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "prices.db")}`;
});

afterAll(() => {
  closeDatabase(getDb());
  rmSync(directory, { recursive: true, force: true });
});

interface PriceEntry {
  model: string;
  status: string;
  source: string | null;
  rates: Record<string, number | null> | null;
}

async function prices(
  query = "",
): Promise<{ prices: PriceEntry[]; overrides: Array<Record<string, unknown>> }> {
  const response = await GET(new Request(`http://127.0.0.1:3000/api/prices${query}`));
  expect(response.status).toBe(200);
  return (await response.json()) as {
    prices: PriceEntry[];
    overrides: Array<Record<string, unknown>>;
  };
}

function put(body: unknown): Promise<Response> {
  return PUT(
    new Request("http://127.0.0.1:3000/api/prices", {
      method: "PUT",
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

describe("GET /api/prices", () => {
  it("lists the effective price and source of every known model", async () => {
    const body = await prices();
    const byModel = new Map(body.prices.map((entry) => [entry.model, entry]));
    expect(byModel.get("openai:gpt-4o-mini")).toMatchObject({
      status: "priced",
      source: `genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o-mini`,
      rates: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    });
    expect(byModel.get("oci:xai.grok-4")).toMatchObject({
      status: "priced",
      source: "override:seed-oci-xai.grok-4",
    });
    expect(
      [...byModel.values()].some(
        (entry) => entry.model.startsWith("demo:") && entry.status === "local",
      ),
    ).toBe(true);
    expect(body.overrides.some((row) => row.id === "seed-oci-xai.grok-4")).toBe(true);
  });

  it("answers for one model, unpriced when unknown", async () => {
    const body = await prices("?model=openai:gpt-unknown-9");
    expect(body.prices).toEqual([
      expect.objectContaining({
        model: "openai:gpt-unknown-9",
        status: "unpriced",
        source: null,
        rates: null,
      }),
    ]);
  });

  it("answers 400 for a malformed model or date", async () => {
    expect((await GET(new Request("http://127.0.0.1:3000/api/prices?model=nocolon"))).status).toBe(
      400,
    );
    expect((await GET(new Request("http://127.0.0.1:3000/api/prices?at=soon"))).status).toBe(400);
  });
});

describe("PUT /api/prices", () => {
  it("upserts an override that then prices the model", async () => {
    const body = {
      provider: "openai",
      modelPattern: "gpt-4o-mini",
      inputPerMillion: 0.2,
      outputPerMillion: 0.8,
      cacheReadPerMillion: 0.1,
      effectiveFrom: "2020-01-01T00:00:00Z",
      note: "negotiated",
    };
    const first = await put(body);
    expect(first.status).toBe(200);
    const created = ((await first.json()) as { override: { id: string; effectiveFrom: string } })
      .override;
    expect(created.effectiveFrom).toBe("2020-01-01T00:00:00.000Z");
    const second = await put({ ...body, inputPerMillion: 0.25 });
    expect(((await second.json()) as { override: { id: string } }).override.id).toBe(created.id);
    const entry = (await prices("?model=openai:gpt-4o-mini")).prices[0];
    expect(entry).toMatchObject({
      source: `override:${created.id}`,
      rates: { inputPerMillion: 0.25 },
    });
  });

  it.each([
    ["not JSON", "{", "invalid_json"],
    [
      "a negative price",
      { provider: "openai", modelPattern: "x", inputPerMillion: -1, outputPerMillion: 1 },
      "invalid_request",
    ],
    [
      "an unknown provider",
      { provider: "acme", modelPattern: "x", inputPerMillion: 1, outputPerMillion: 1 },
      "invalid_request",
    ],
    [
      "a missing price",
      { provider: "openai", modelPattern: "x", inputPerMillion: 1 },
      "invalid_request",
    ],
    [
      "an unknown field",
      { provider: "openai", modelPattern: "x", inputPerMillion: 1, outputPerMillion: 1, extra: 1 },
      "invalid_request",
    ],
  ])("answers 400 for %s", async (_name, body, code) => {
    const response = await put(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("answers 404 for an unknown id", async () => {
    const response = await put({
      id: "missing",
      provider: "openai",
      modelPattern: "x",
      inputPerMillion: 1,
      outputPerMillion: 1,
    });
    expect(response.status).toBe(404);
  });
});
