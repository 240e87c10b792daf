/**
 * The `/settings/keys` page's pure parts: the create form's fields as a `POST /api/keys` body
 * (or why not), and `GET /api/keys` rows as the list shows them.
 */
import * as z from "zod/mini";
import { formatUsd } from "./metrics";

export interface NewKeyForm {
  name: string;
  /** Comma- or newline-separated model strings or aliases; empty allows every model. */
  models: string;
  daily: string;
  monthly: string;
}

export interface NewKeyBody {
  name: string;
  models?: string[];
  budgetUsd?: { daily?: number; monthly?: number };
}

function budgetOf(label: string, text: string): number | undefined | string {
  const trimmed = text.trim().replace(/^\$/, "");
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0)
    return `the ${label} budget must be a positive amount in USD`;
  return value;
}

export function newKeyBody(
  form: NewKeyForm,
): { ok: true; body: NewKeyBody } | { ok: false; message: string } {
  const name = form.name.trim();
  if (name === "") return { ok: false, message: "the key needs a name" };
  const daily = budgetOf("daily", form.daily);
  const monthly = budgetOf("monthly", form.monthly);
  if (typeof daily === "string") return { ok: false, message: daily };
  if (typeof monthly === "string") return { ok: false, message: monthly };
  const models = form.models
    .split(/[,\n]/)
    .map((model) => model.trim())
    .filter((model) => model !== "");
  const body: NewKeyBody = { name };
  if (models.length > 0) body.models = [...new Set(models)];
  if (daily !== undefined || monthly !== undefined) {
    body.budgetUsd = {
      ...(daily !== undefined ? { daily } : {}),
      ...(monthly !== undefined ? { monthly } : {}),
    };
  }
  return { ok: true, body };
}

const keySchema = z.object({
  keyId: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.nullable(z.string()),
  budgetUsd: z.object({ daily: z.nullable(z.number()), monthly: z.nullable(z.number()) }),
  models: z.nullable(z.array(z.string())),
  spendUsd: z.optional(z.object({ today: z.number(), month: z.number() })),
});

const keyListSchema = z.object({ keys: z.array(keySchema) });

export type GatewayKeyJson = z.infer<typeof keySchema>;

export function parseKeyList(json: unknown): GatewayKeyJson[] | null {
  const result = keyListSchema.safeParse(json);
  return result.success ? result.data.keys : null;
}

export interface KeyRow {
  keyId: string;
  name: string;
  /** `lk-abc1…`: enough to tell keys apart, never enough to use one. */
  prefix: string;
  models: string;
  /** "$0.12 of $5.00 today", or the spend alone when there is no budget. */
  daily: string;
  monthly: string;
  /** A budget spent: the key is answered 429 until the period ends. */
  overBudget: boolean;
  revoked: boolean;
  createdAt: string;
}

function spendText(spent: number | undefined, budget: number | null, period: string): string {
  const spentText = spent === undefined ? "—" : formatUsd(spent);
  return budget === null
    ? `${spentText} ${period}`
    : `${spentText} of ${formatUsd(budget)} ${period}`;
}

export function keyRows(keys: readonly GatewayKeyJson[]): KeyRow[] {
  return keys.map((key) => {
    const today = key.spendUsd?.today;
    const month = key.spendUsd?.month;
    const over =
      (key.budgetUsd.daily !== null && today !== undefined && today >= key.budgetUsd.daily) ||
      (key.budgetUsd.monthly !== null && month !== undefined && month >= key.budgetUsd.monthly);
    return {
      keyId: key.keyId,
      name: key.name,
      prefix: `${key.prefix}…`,
      models: key.models && key.models.length > 0 ? key.models.join(", ") : "any model",
      daily: spendText(today, key.budgetUsd.daily, "today"),
      monthly: spendText(month, key.budgetUsd.monthly, "this month"),
      overBudget: over && key.revokedAt === null,
      revoked: key.revokedAt !== null,
      createdAt: key.createdAt,
    };
  });
}

const aliasListSchema = z.object({
  aliases: z.array(z.object({ alias: z.string(), model: z.string() })),
});

export function parseAliasList(json: unknown): Array<{ alias: string; model: string }> | null {
  const result = aliasListSchema.safeParse(json);
  return result.success ? result.data.aliases : null;
}
