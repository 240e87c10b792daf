/**
 * The prices page, prepared: every model's effective price and where it comes from (bundled
 * genai-prices data, an override, local, or nothing), the override table, and the values the
 * override form starts from. Pure: the overrides, models and clock are parameters.
 */
import { isProviderId, PROVIDERS, type ProviderId } from "@/lib/models/providers";
import { OCI_SEED_PRICES, seedOverrideId } from "@/lib/pricing/oci-prices";
import { effectivePrice } from "@/lib/pricing/price-list";
import { isExactPattern, modelMatchesPattern } from "@/lib/pricing/resolve-price";
import type { PriceOverride, TokenRates } from "@/lib/pricing/types";

/** The override form's choices: providers that charge first, then the local ones. */
export const OVERRIDE_PROVIDERS: readonly ProviderId[] = [
  ...PROVIDERS.filter((provider) => !provider.local),
  ...PROVIDERS.filter((provider) => provider.local),
].map((provider) => provider.id);

export type PriceSourceKind = "override" | "bundled" | "local" | "none";

export interface PriceRowView {
  model: string;
  provider: string;
  modelId: string;
  status: "priced" | "local" | "unpriced";
  sourceKind: PriceSourceKind;
  /** "genai-prices 0.1.8 (openai/gpt-4o-mini)", "override", "local (free)", "no price". */
  sourceLabel: string;
  overrideId: string | null;
  rates: TokenRates | null;
  /** Rate tiers above a context threshold (bundled data only). */
  tierCount: number;
  /** The model has recorded calls. */
  used: boolean;
}

export interface OverrideView {
  id: string;
  provider: string;
  modelPattern: string;
  rates: TokenRates;
  /** ISO, or `null` when it applies to every call however old. */
  effectiveFrom: string | null;
  note: string | null;
  /** Entered at first start for OCI models; removing it brings it back at the next start. */
  seeded: boolean;
  /** Known or used models it matches (whether or not another override wins for them). */
  matches: string[];
  /** For a pattern: "matches 3 known models"; `null` for an exact id. */
  matchSummary: string | null;
}

/** What the override form starts from: an override being edited, or a model to price. */
export interface OverrideFormValues {
  id: string | null;
  provider: string;
  modelPattern: string;
  inputPerMillion: string;
  outputPerMillion: string;
  cacheReadPerMillion: string;
  cacheWritePerMillion: string;
  cacheWrite5mPerMillion: string;
  cacheWrite1hPerMillion: string;
  /** `YYYY-MM-DD`, or empty for every call. */
  effectiveFrom: string;
  note: string;
}

export interface PricesPageView {
  at: string;
  prices: PriceRowView[];
  overrides: OverrideView[];
  form: OverrideFormValues;
  /** Set when `?model=` or `?edit=` named something this page could not use. */
  formNotice: string | null;
  /** Models offered in the re-price filter: those with recorded calls. */
  usedModels: string[];
}

const SEEDED_IDS: ReadonlySet<string> = new Set(
  OCI_SEED_PRICES.map((seed) => seedOverrideId(seed.modelId)),
);

/** Overrides at or before this instant apply to every call; the seeds use it. */
const ALWAYS_MS = 0;

function describeSource(source: string | null, status: PriceRowView["status"]) {
  if (status === "local") return { sourceKind: "local" as const, sourceLabel: "local (free)" };
  if (source === null) return { sourceKind: "none" as const, sourceLabel: "no price" };
  if (source.startsWith("override:"))
    return { sourceKind: "override" as const, sourceLabel: "override" };
  const bundled = /^genai-prices@([^:]+):(.+)$/.exec(source);
  if (bundled) {
    return {
      sourceKind: "bundled" as const,
      sourceLabel: `genai-prices ${bundled[1]} (${bundled[2]})`,
    };
  }
  return { sourceKind: "bundled" as const, sourceLabel: source };
}

function splitModel(model: string): { provider: string; modelId: string } {
  const colon = model.indexOf(":");
  return colon === -1
    ? { provider: "", modelId: model }
    : { provider: model.slice(0, colon), modelId: model.slice(colon + 1) };
}

/** Every known or used model with its effective price now; used models without a price first. */
export function preparePriceRows(options: {
  models: readonly string[];
  usedModels: ReadonlySet<string>;
  at: Date;
  overrides: readonly PriceOverride[];
}): PriceRowView[] {
  const rows = [...new Set(options.models)].map((model) => {
    const price = effectivePrice({ model, at: options.at, overrides: options.overrides });
    return {
      model,
      provider: price.provider,
      modelId: price.modelId,
      status: price.status,
      ...describeSource(price.source, price.status),
      overrideId: price.source?.startsWith("override:")
        ? price.source.slice("override:".length)
        : null,
      rates: price.rates,
      tierCount: price.tiers.length,
      used: options.usedModels.has(model),
    };
  });
  const rank = (row: PriceRowView) => (row.used && row.status === "unpriced" ? 0 : 1);
  return rows.sort(
    (left, right) =>
      rank(left) - rank(right) ||
      left.provider.localeCompare(right.provider) ||
      left.modelId.localeCompare(right.modelId),
  );
}

function ratesOf(override: PriceOverride): TokenRates {
  return {
    inputPerMillion: override.inputPerMillion,
    outputPerMillion: override.outputPerMillion,
    cacheReadPerMillion: override.cacheReadPerMillion,
    cacheWritePerMillion: override.cacheWritePerMillion,
    cacheWrite5mPerMillion: override.cacheWrite5mPerMillion,
    cacheWrite1hPerMillion: override.cacheWrite1hPerMillion,
  };
}

export function prepareOverrides(options: {
  overrides: readonly PriceOverride[];
  models: readonly string[];
}): OverrideView[] {
  return options.overrides.map((override) => {
    const matches = options.models.filter((model) => {
      const { provider, modelId } = splitModel(model);
      return (
        provider.toLowerCase() === override.provider.toLowerCase() &&
        modelMatchesPattern({ pattern: override.modelPattern, modelId })
      );
    });
    return {
      id: override.id,
      provider: override.provider,
      modelPattern: override.modelPattern,
      rates: ratesOf(override),
      effectiveFrom:
        override.effectiveFrom.getTime() <= ALWAYS_MS ? null : override.effectiveFrom.toISOString(),
      note: override.note,
      seeded: SEEDED_IDS.has(override.id),
      matches,
      matchSummary: isExactPattern(override.modelPattern)
        ? null
        : `matches ${matches.length} known model${matches.length === 1 ? "" : "s"}`,
    };
  });
}

function rateText(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

const EMPTY_FORM: OverrideFormValues = {
  id: null,
  provider: "openai",
  modelPattern: "",
  inputPerMillion: "",
  outputPerMillion: "",
  cacheReadPerMillion: "",
  cacheWritePerMillion: "",
  cacheWrite5mPerMillion: "",
  cacheWrite1hPerMillion: "",
  effectiveFrom: "",
  note: "",
};

/**
 * `edit` (an override id) fills the form with that override; `model` (`provider:model`) with
 * that model and, when it has one, its current price as a starting point.
 */
export function prepareOverrideForm(options: {
  edit: string | null;
  model: string | null;
  overrides: readonly PriceOverride[];
  prices: readonly PriceRowView[];
}): { form: OverrideFormValues; notice: string | null } {
  if (options.edit !== null) {
    const override = options.overrides.find((candidate) => candidate.id === options.edit);
    if (!override) return { form: EMPTY_FORM, notice: "That override no longer exists." };
    return {
      form: {
        id: override.id,
        provider: override.provider,
        modelPattern: override.modelPattern,
        inputPerMillion: rateText(override.inputPerMillion),
        outputPerMillion: rateText(override.outputPerMillion),
        cacheReadPerMillion: rateText(override.cacheReadPerMillion),
        cacheWritePerMillion: rateText(override.cacheWritePerMillion),
        cacheWrite5mPerMillion: rateText(override.cacheWrite5mPerMillion),
        cacheWrite1hPerMillion: rateText(override.cacheWrite1hPerMillion),
        effectiveFrom:
          override.effectiveFrom.getTime() <= ALWAYS_MS
            ? ""
            : override.effectiveFrom.toISOString().slice(0, 10),
        note: override.note ?? "",
      },
      notice: null,
    };
  }
  if (options.model !== null) {
    const { provider, modelId } = splitModel(options.model);
    if (!isProviderId(provider) || modelId === "") {
      return { form: EMPTY_FORM, notice: `“${options.model}” is not a provider:model string.` };
    }
    const current = options.prices.find((row) => row.model === options.model)?.rates ?? null;
    return {
      form: {
        ...EMPTY_FORM,
        provider,
        modelPattern: modelId,
        inputPerMillion: rateText(current?.inputPerMillion),
        outputPerMillion: rateText(current?.outputPerMillion),
        cacheReadPerMillion: rateText(current?.cacheReadPerMillion),
        cacheWritePerMillion: rateText(current?.cacheWritePerMillion),
        cacheWrite5mPerMillion: rateText(current?.cacheWrite5mPerMillion),
        cacheWrite1hPerMillion: rateText(current?.cacheWrite1hPerMillion),
      },
      notice: null,
    };
  }
  return { form: EMPTY_FORM, notice: null };
}

export function preparePricesPage(options: {
  knownModels: readonly string[];
  usedModels: readonly string[];
  overrides: readonly PriceOverride[];
  at: Date;
  edit: string | null;
  model: string | null;
}): PricesPageView {
  const used = new Set(options.usedModels);
  const models = [
    ...new Set([
      ...options.knownModels,
      ...options.usedModels,
      ...(options.model?.includes(":") ? [options.model] : []),
    ]),
  ];
  const prices = preparePriceRows({
    models,
    usedModels: used,
    at: options.at,
    overrides: options.overrides,
  });
  const { form, notice } = prepareOverrideForm({
    edit: options.edit,
    model: options.model,
    overrides: options.overrides,
    prices,
  });
  return {
    at: options.at.toISOString(),
    prices,
    overrides: prepareOverrides({ overrides: options.overrides, models }),
    form,
    formNotice: notice,
    usedModels: [...used].sort(),
  };
}
