/**
 * Bodies of `POST /api/keys` and `POST /api/aliases`, and what the API shows of a key (never
 * its hash, never the key: the key is in the `POST` answer once and nowhere else).
 */
import { z } from "zod";
import type { GatewayKeyRow } from "@/lib/db/schema";
import { InvalidInputError } from "@/lib/errors";
import { ModelStringError, parseModelString } from "@/lib/models";
import { formatZodIssues } from "@/lib/zod-issues";

const budget = z.number().positive().max(1_000_000);

export const newKeySchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  budgetUsd: z.strictObject({ daily: budget.optional(), monthly: budget.optional() }).optional(),
  models: z.array(z.string().trim().min(1).max(300)).max(100).optional(),
});

export type NewKey = z.infer<typeof newKeySchema>;

export function parseNewKey(body: unknown): NewKey {
  const result = newKeySchema.safeParse(body);
  if (!result.success) throw new InvalidInputError({ message: formatZodIssues(result.error) });
  return result.data;
}

/** Aliases look like model names clients already send: no colon, so never a model string. */
const aliasSchema = z.strictObject({
  alias: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-' only"),
  model: z.string().trim().min(1).max(300),
});

export function parseNewAlias(body: unknown): z.infer<typeof aliasSchema> {
  const result = aliasSchema.safeParse(body);
  if (!result.success) throw new InvalidInputError({ message: formatZodIssues(result.error) });
  try {
    parseModelString(result.data.model);
  } catch (error) {
    if (!(error instanceof ModelStringError)) throw error;
    throw new InvalidInputError({ code: "invalid_model", message: `model: ${error.message}` });
  }
  return result.data;
}

export interface KeySummary {
  keyId: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  budgetUsd: { daily: number | null; monthly: number | null };
  models: string[] | null;
}

export function keySummary(row: GatewayKeyRow): KeySummary {
  return {
    keyId: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    budgetUsd: { daily: row.dailyBudgetUsd, monthly: row.monthlyBudgetUsd },
    models: row.models,
  };
}
