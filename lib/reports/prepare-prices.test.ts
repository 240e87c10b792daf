import { describe, expect, it } from "vitest";
import { GENAI_PRICES_VERSION } from "@/lib/pricing/bundled-prices";
import { seedOverrideId } from "@/lib/pricing/oci-prices";
import type { PriceOverride } from "@/lib/pricing/types";
import {
  prepareOverrideForm,
  prepareOverrides,
  preparePriceRows,
  preparePricesPage,
} from "./prepare-prices";

const AT = new Date("2026-03-01T00:00:00Z");

function override(values: Partial<PriceOverride> & Pick<PriceOverride, "id">): PriceOverride {
  return {
    provider: "openai",
    modelPattern: "gpt-4o-mini",
    inputPerMillion: 1,
    outputPerMillion: 2,
    cacheReadPerMillion: null,
    cacheWritePerMillion: null,
    cacheWrite5mPerMillion: null,
    cacheWrite1hPerMillion: null,
    effectiveFrom: new Date(0),
    createdAt: new Date("2026-01-01T00:00:00Z"),
    note: null,
    ...values,
  };
}

const GROK = override({
  id: seedOverrideId("xai.grok-4"),
  provider: "oci",
  modelPattern: "xai.grok-4",
  inputPerMillion: 3,
  outputPerMillion: 15,
  cacheReadPerMillion: 0.75,
  note: "approximate",
});

describe("preparePriceRows", () => {
  it("gives each model its effective price and where it comes from", () => {
    const rows = preparePriceRows({
      models: ["openai:gpt-4o-mini", "oci:xai.grok-4", "demo:fast", "openai:gpt-unknown-9"],
      usedModels: new Set(),
      at: AT,
      overrides: [GROK],
    });
    const byModel = new Map(rows.map((row) => [row.model, row]));
    expect(byModel.get("openai:gpt-4o-mini")).toMatchObject({
      status: "priced",
      sourceKind: "bundled",
      sourceLabel: `genai-prices ${GENAI_PRICES_VERSION} (openai/gpt-4o-mini)`,
      overrideId: null,
      rates: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    });
    expect(byModel.get("oci:xai.grok-4")).toMatchObject({
      status: "priced",
      sourceKind: "override",
      overrideId: GROK.id,
      rates: { inputPerMillion: 3, cacheReadPerMillion: 0.75 },
    });
    expect(byModel.get("demo:fast")).toMatchObject({ status: "local", sourceKind: "local" });
    expect(byModel.get("openai:gpt-unknown-9")).toMatchObject({
      status: "unpriced",
      sourceKind: "none",
      rates: null,
    });
  });

  it("lists used models without a price first", () => {
    const rows = preparePriceRows({
      models: ["anthropic:claude-sonnet-4-5", "openai:gpt-unknown-9", "openai:gpt-never-used"],
      usedModels: new Set(["openai:gpt-unknown-9"]),
      at: AT,
      overrides: [],
    });
    expect(rows[0]).toMatchObject({ model: "openai:gpt-unknown-9", used: true });
  });

  it("lets an override win over the bundled price from its effective date", () => {
    const later = override({ id: "later", effectiveFrom: new Date("2026-06-01T00:00:00Z") });
    const [row] = preparePriceRows({
      models: ["openai:gpt-4o-mini"],
      usedModels: new Set(),
      at: AT,
      overrides: [later],
    });
    expect(row?.sourceKind).toBe("bundled");
  });
});

describe("prepareOverrides", () => {
  it("marks seeded rows, all-time rows and the models each pattern matches", () => {
    const pattern = override({
      id: "mine",
      modelPattern: "gpt-4.1*",
      effectiveFrom: new Date("2026-02-01T00:00:00Z"),
    });
    const views = prepareOverrides({
      overrides: [GROK, pattern],
      models: ["openai:gpt-4.1", "openai:gpt-4.1-mini", "openai:gpt-4o", "oci:xai.grok-4"],
    });
    expect(views[0]).toMatchObject({
      seeded: true,
      effectiveFrom: null,
      matches: ["oci:xai.grok-4"],
      matchSummary: null,
    });
    expect(views[1]).toMatchObject({
      seeded: false,
      effectiveFrom: "2026-02-01T00:00:00.000Z",
      matches: ["openai:gpt-4.1", "openai:gpt-4.1-mini"],
      matchSummary: "matches 2 known models",
    });
  });
});

describe("prepareOverrideForm", () => {
  const prices = preparePriceRows({
    models: ["openai:gpt-4o-mini"],
    usedModels: new Set(),
    at: AT,
    overrides: [],
  });

  it("fills the form with the override being edited", () => {
    const edited = override({
      id: "x",
      cacheReadPerMillion: 0.5,
      effectiveFrom: new Date("2026-02-01T00:00:00Z"),
      note: "contract price",
    });
    const { form, notice } = prepareOverrideForm({
      edit: "x",
      model: null,
      overrides: [edited],
      prices,
    });
    expect(notice).toBeNull();
    expect(form).toMatchObject({
      id: "x",
      inputPerMillion: "1",
      cacheReadPerMillion: "0.5",
      cacheWritePerMillion: "",
      effectiveFrom: "2026-02-01",
      note: "contract price",
    });
  });

  it("starts a new override for a model from its current price", () => {
    const { form } = prepareOverrideForm({
      edit: null,
      model: "openai:gpt-4o-mini",
      overrides: [],
      prices,
    });
    expect(form).toMatchObject({
      id: null,
      provider: "openai",
      modelPattern: "gpt-4o-mini",
      inputPerMillion: "0.15",
      outputPerMillion: "0.6",
      effectiveFrom: "",
    });
  });

  it("starts empty for an unpriced model, and says when a link names nothing usable", () => {
    expect(
      prepareOverrideForm({ edit: null, model: "oci:new.model", overrides: [], prices }).form,
    ).toMatchObject({ provider: "oci", modelPattern: "new.model", inputPerMillion: "" });
    expect(
      prepareOverrideForm({ edit: "gone", model: null, overrides: [], prices }).notice,
    ).toMatch(/no longer exists/);
    expect(
      prepareOverrideForm({ edit: null, model: "acme:thing", overrides: [], prices }).notice,
    ).toMatch(/not a provider:model/);
  });
});

describe("preparePricesPage", () => {
  it("lists known, used and asked-for models once each", () => {
    const view = preparePricesPage({
      knownModels: ["openai:gpt-4o-mini", "oci:xai.grok-4"],
      usedModels: ["openai:gpt-4o-mini", "openai:gpt-internal-preview"],
      overrides: [GROK],
      at: AT,
      edit: null,
      model: "anthropic:claude-next",
    });
    expect(view.prices.map((row) => row.model).sort()).toEqual([
      "anthropic:claude-next",
      "oci:xai.grok-4",
      "openai:gpt-4o-mini",
      "openai:gpt-internal-preview",
    ]);
    expect(view.prices[0]?.model).toBe("openai:gpt-internal-preview");
    expect(view.usedModels).toEqual(["openai:gpt-4o-mini", "openai:gpt-internal-preview"]);
    expect(view.form).toMatchObject({ provider: "anthropic", modelPattern: "claude-next" });
  });
});
