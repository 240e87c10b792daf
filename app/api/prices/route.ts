/**
 * `GET /api/prices[?model=provider:model][&at=ISO]`: the price in force for every known model
 * (or the one asked for) and where it comes from, plus the override table.
 * `PUT /api/prices`: inserts or replaces an override. Recorded calls keep the cost they were
 * given; a new price applies to calls that start from its `effectiveFrom` on.
 * `DELETE /api/prices?id=…`: removes an override. Past costs change only through
 * `POST /api/prices/reprice`. Writes never wait on another process's lock: past a short
 * wait they are refused with `503 database_unavailable`, nothing saved.
 */
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { deletePriceOverride, listPriceOverrides, upsertPriceOverride } from "@/lib/db/queries";
import type { PriceOverrideRow } from "@/lib/db/schema";
import { writeWithoutWaiting } from "@/lib/db/write-without-waiting";
import { HttpError, invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { DEMO_MODEL_IDS } from "@/lib/models/demo/demo-model";
import { PROVIDER_IDS } from "@/lib/models/providers";
import { effectivePrice, knownModelStrings } from "@/lib/pricing/price-list";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

const listQuerySchema = z.strictObject({
  model: z
    .string()
    .trim()
    .max(300)
    .regex(/^[a-z]+:.+$/, "expected provider:model")
    .optional(),
  at: instant.optional(),
});

const rate = z.number().finite().min(0).max(100_000);

const overrideSchema = z.strictObject({
  id: z.string().trim().min(1).max(100).optional(),
  provider: z.enum(PROVIDER_IDS),
  modelPattern: z.string().trim().min(1).max(300),
  inputPerMillion: rate,
  outputPerMillion: rate,
  cacheReadPerMillion: rate.nullable().optional(),
  cacheWritePerMillion: rate.nullable().optional(),
  cacheWrite5mPerMillion: rate.nullable().optional(),
  cacheWrite1hPerMillion: rate.nullable().optional(),
  effectiveFrom: instant.optional(),
  note: z.string().max(500).nullable().optional(),
});

function overrideJson(row: PriceOverrideRow) {
  return {
    ...row,
    effectiveFrom: row.effectiveFrom.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function GET(request: Request): Promise<Response> {
  try {
    const parsed = listQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw invalidRequest(parsed.error, { root: "query" });
    const at = parsed.data.at ? new Date(parsed.data.at) : new Date();
    const overrides = listPriceOverrides();
    const models = parsed.data.model
      ? [parsed.data.model]
      : knownModelStrings(DEMO_MODEL_IDS.map((modelId) => `demo:${modelId}`));
    return Response.json(
      {
        at: at.toISOString(),
        prices: models.map((model) => effectivePrice({ model, at, overrides })),
        overrides: overrides.map(overrideJson),
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as Error & { code?: unknown }).code === "SQLITE_CONSTRAINT_UNIQUE"
  );
}

export async function PUT(request: Request): Promise<Response> {
  try {
    const parsed = overrideSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw invalidRequest(parsed.error, { root: "body" });
    const { effectiveFrom, ...values } = parsed.data;
    try {
      const database = getDb();
      const row = await writeWithoutWaiting(
        database,
        () =>
          upsertPriceOverride({
            override: {
              ...values,
              effectiveFrom: effectiveFrom ? new Date(effectiveFrom) : new Date(),
            },
            database,
          }),
        { what: "the price override" },
      );
      return Response.json(
        { override: overrideJson(row) },
        { headers: { "cache-control": "no-store" } },
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new HttpError({
          status: 409,
          code: "invalid_request",
          message: "another override has the same provider, model pattern and effective date",
        });
      }
      throw error;
    }
  } catch (error) {
    return responseForError(error);
  }
}

const deleteQuerySchema = z.strictObject({ id: z.string().trim().min(1).max(100) });

export async function DELETE(request: Request): Promise<Response> {
  try {
    const parsed = deleteQuerySchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    if (!parsed.success) throw invalidRequest(parsed.error, { root: "query" });
    const database = getDb();
    const deleted = await writeWithoutWaiting(
      database,
      () => deletePriceOverride({ id: parsed.data.id, database }),
      { what: "the deletion" },
    );
    if (!deleted) {
      throw new HttpError({
        status: 404,
        code: "not_found",
        message: `no price override with id ${parsed.data.id}`,
      });
    }
    return Response.json({ deleted: parsed.data.id }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PATCH } = otherMethods(["GET", "PUT", "DELETE"]);
