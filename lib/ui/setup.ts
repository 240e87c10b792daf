/**
 * The comparison setup — prompt, system prompt, columns with their models and parameters,
 * tools and output schema — as it lives in the URL, so a link reproduces a comparison.
 * Decoding is zod-validated part by part: a damaged part falls back to its default and the
 * rest of the link still works.
 */
import * as z from "zod/mini";
import { usedVariables } from "./prompt-variables";

export const MAX_COLUMNS = 16;

/** Per-column parameters; the names are those of the HTTP contract's `params`. */
export interface ColumnParameters {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  /** `true` is the provider's default TTL (5 minutes on Anthropic). */
  promptCache?: boolean | "5m" | "1h";
  reasoningEffort?: "low" | "medium" | "high";
}

export interface ColumnSetup {
  /** Stable within a page; not part of the link (positions are). */
  id: string;
  model: string;
  params: ColumnParameters;
  /** Overrides the shared system prompt for this column; `null` uses the shared one. */
  system: string | null;
}

export interface Setup {
  system: string;
  prompt: string;
  columns: ColumnSetup[];
  /** OpenAI-style tool definitions as JSON text; empty for none. */
  tools: string;
  /** A JSON Schema the answers must follow, as JSON text; empty for free text. */
  schema: string;
  /** Values of the prompt's `{{variables}}`; absent for none. */
  variables?: Record<string, string>;
}

export const DEFAULT_MODELS = ["demo:chat", "demo:fast"];

export const parametersSchema = z.object({
  temperature: z.optional(z.number().check(z.gte(0), z.lte(2))),
  topP: z.optional(z.number().check(z.gte(0), z.lte(1))),
  maxTokens: z.optional(z.int().check(z.gte(1), z.lte(1_000_000))),
  seed: z.optional(z.int()),
  stop: z.optional(z.array(z.string()).check(z.maxLength(16))),
  promptCache: z.optional(z.union([z.boolean(), z.enum(["5m", "1h"])])),
  reasoningEffort: z.optional(z.enum(["low", "medium", "high"])),
});

/** `provider:model`; the provider part is checked by the server, which knows the list. */
const modelStringSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]*:\S.*$/), z.maxLength(200));

const linkColumnSchema = z.object({
  model: modelStringSchema,
  params: z.optional(parametersSchema),
  system: z.optional(z.string()),
});

const linkColumnsSchema = z.array(linkColumnSchema).check(z.minLength(1), z.maxLength(MAX_COLUMNS));

export function columnId(number: number): string {
  return `column-${number}`;
}

export function defaultSetup(): Setup {
  return {
    system: "",
    prompt: "",
    columns: DEFAULT_MODELS.map((model, index) => ({
      id: columnId(index + 1),
      model,
      params: {},
      system: null,
    })),
    tools: "",
    schema: "",
  };
}

/** Removes unset values so links and request bodies stay minimal and comparable. */
export function compactParameters(params: ColumnParameters): ColumnParameters {
  const compact: ColumnParameters = {};
  if (params.temperature !== undefined) compact.temperature = params.temperature;
  if (params.topP !== undefined) compact.topP = params.topP;
  if (params.maxTokens !== undefined) compact.maxTokens = params.maxTokens;
  if (params.seed !== undefined) compact.seed = params.seed;
  if (params.stop !== undefined && params.stop.length > 0) compact.stop = params.stop;
  if (params.promptCache) compact.promptCache = params.promptCache;
  if (params.reasoningEffort) compact.reasoningEffort = params.reasoningEffort;
  return compact;
}

type SearchParamsLike = { get: (name: string) => string | null };

/** Accepts `URLSearchParams` or the record Next passes to a page. */
export function toSearchParams(
  value: SearchParamsLike | Record<string, string | string[] | undefined>,
): SearchParamsLike {
  if (typeof value.get === "function") return value as SearchParamsLike;
  const record = value as Record<string, string | string[] | undefined>;
  return {
    get: (name) => {
      const entry = record[name];
      return Array.isArray(entry) ? (entry[0] ?? null) : (entry ?? null);
    },
  };
}

const MAX_TEXT_LENGTH = 200_000;

function readText(params: SearchParamsLike, name: string): string {
  const value = params.get(name);
  return value !== null && value.length <= MAX_TEXT_LENGTH ? value : "";
}

function readColumns(params: SearchParamsLike): ColumnSetup[] | null {
  const raw = params.get("columns");
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const result = linkColumnsSchema.safeParse(json);
  if (!result.success) return null;
  return result.data.map((column, index) => ({
    id: columnId(index + 1),
    model: column.model,
    params: compactParameters(column.params ?? {}),
    system: column.system ?? null,
  }));
}

const variablesSchema = z.record(
  z.string().check(z.maxLength(200)),
  z.string().check(z.maxLength(MAX_TEXT_LENGTH)),
);

function readVariables(params: SearchParamsLike): Record<string, string> {
  const raw = params.get("vars");
  if (raw === null || raw.length > MAX_TEXT_LENGTH) return {};
  try {
    const result = variablesSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

export function decodeSetup(
  input: SearchParamsLike | Record<string, string | string[] | undefined>,
): Setup {
  const params = toSearchParams(input);
  const defaults = defaultSetup();
  const variables = readVariables(params);
  return {
    system: readText(params, "system"),
    prompt: readText(params, "prompt"),
    columns: readColumns(params) ?? defaults.columns,
    tools: readText(params, "tools"),
    schema: readText(params, "schema"),
    ...(Object.keys(variables).length > 0 ? { variables } : {}),
  };
}

/** The query string (without `?`) for a setup; empty parts are left out. */
export function encodeSetup(setup: Setup): string {
  const params = new URLSearchParams();
  if (setup.prompt !== "") params.set("prompt", setup.prompt);
  const variables = usedVariables(setup.prompt, setup.variables ?? {});
  if (Object.keys(variables).length > 0) params.set("vars", JSON.stringify(variables));
  if (setup.system !== "") params.set("system", setup.system);
  params.set(
    "columns",
    JSON.stringify(
      setup.columns.map((column) => {
        const params = compactParameters(column.params);
        return {
          model: column.model,
          ...(Object.keys(params).length > 0 ? { params } : {}),
          ...(column.system !== null ? { system: column.system } : {}),
        };
      }),
    ),
  );
  if (setup.tools.trim() !== "") params.set("tools", setup.tools);
  if (setup.schema.trim() !== "") params.set("schema", setup.schema);
  return params.toString();
}
