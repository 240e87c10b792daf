/**
 * What a key may do with a request: which model it resolves to (an alias or a
 * `provider:model` string), whether the key may call it, and whether its budget is spent.
 * Each refusal carries the status and message the client's wire format will show.
 */
import "server-only";
import { getGatewayKeySpend, getModelAlias } from "@/lib/db/gateway-key-queries";
import type { GatewayKeyRow } from "@/lib/db/schema";
import { parseModelString } from "@/lib/models";
import { ModelStringError } from "@/lib/models/errors";
import { redactSecrets } from "@/lib/models/secrets";
import { KeySpendLedger } from "./key-spend";

export class GatewayRefusal extends Error {
  override readonly name = "GatewayRefusal";
  readonly status: number;
  readonly code: string;

  constructor(options: { status: number; code: string; message: string }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
  }
}

/** The `provider:model` string behind what the client named; throws a 404 refusal. */
export function resolveGatewayModel(requested: string): string {
  // An alias never has a colon (key-requests.ts), so a name with one is not looked up.
  const alias = requested.includes(":") ? null : getModelAlias({ alias: requested });
  const model = alias?.model ?? requested;
  try {
    parseModelString(model);
  } catch (error) {
    if (!(error instanceof ModelStringError)) throw error;
    throw new GatewayRefusal({
      status: 404,
      code: "model_not_found",
      message: redactSecrets(
        `model "${requested}" is neither an alias nor a known provider:model string: ${error.message}`,
      ),
    });
  }
  return model;
}

/** A key limited to some models may name them by alias or by the model string itself. */
export function assertModelAllowed(key: GatewayKeyRow, requested: string, resolved: string): void {
  if (key.models === null || key.models.length === 0) return;
  if (key.models.includes(requested) || key.models.includes(resolved)) return;
  throw new GatewayRefusal({
    status: 403,
    code: "model_not_allowed",
    message: `the key "${key.name}" may not call "${requested}"`,
  });
}

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function formatUsd(value: number): string {
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

const globalStore = globalThis as typeof globalThis & { __locusKeySpend?: KeySpendLedger };

/** The process-wide spend ledger, on `globalThis` so that both wire formats' routes share it. */
export function getKeySpendLedger(): KeySpendLedger {
  globalStore.__locusKeySpend ??= new KeySpendLedger({ read: getGatewayKeySpend });
  return globalStore.__locusKeySpend;
}

/** Budgets are per UTC day and UTC calendar month, like the usage report's day buckets. */
export function assertWithinBudget(
  key: GatewayKeyRow,
  now: Date = new Date(),
  ledger: KeySpendLedger = getKeySpendLedger(),
): void {
  const budgets = [
    { label: "daily", limit: key.dailyBudgetUsd, since: startOfUtcDay(now) },
    { label: "monthly", limit: key.monthlyBudgetUsd, since: startOfUtcMonth(now) },
  ];
  for (const budget of budgets) {
    if (budget.limit === null) continue;
    const spent = ledger.spent(key.id, budget.since);
    if (spent >= budget.limit) {
      throw new GatewayRefusal({
        status: 429,
        code: "budget_exceeded",
        message: `the ${budget.label} budget of ${formatUsd(budget.limit)} for key "${key.name}" is spent (${formatUsd(spent)})`,
      });
    }
  }
}

/** `x-locus-tags: a,b` plus tags from the body (OpenAI `metadata`), each once, in order. */
export function gatewayTags(headers: Headers, fromBody: string[]): string[] {
  const fromHeader = (headers.get("x-locus-tags") ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  return [...new Set([...fromHeader, ...fromBody])].slice(0, 32).map((tag) => tag.slice(0, 128));
}

export function gatewayUser(headers: Headers, fromBody: string | null): string | null {
  const header = headers.get("x-locus-user")?.trim();
  return (header ? header : fromBody)?.slice(0, 256) ?? null;
}
