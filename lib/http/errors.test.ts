import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { HttpError, invalidRequest, responseForError } from "./errors";

async function answer(error: unknown): Promise<{ status: number; body: unknown }> {
  const response = responseForError(error);
  return { status: response.status, body: await response.json() };
}

describe("responseForError", () => {
  it("maps domain errors to their status, keeping code and message", async () => {
    expect(
      await answer(new InvalidInputError({ code: "invalid_model", message: "no such provider" })),
    ).toEqual({
      status: 400,
      body: { error: { code: "invalid_model", message: "no such provider" } },
    });
    expect(await answer(new InvalidInputError({ message: "bad cursor" }))).toEqual({
      status: 400,
      body: { error: { code: "invalid_request", message: "bad cursor" } },
    });
    expect(await answer(new NotFoundError('no run with id "x"'))).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: 'no run with id "x"' } },
    });
  });

  it("answers a zod failure as a 400 naming the path", async () => {
    const parsed = z.strictObject({ limit: z.number() }).safeParse({ limit: "ten" });
    if (parsed.success) throw new Error("expected a failed parse");
    const { status, body } = await answer(invalidRequest(parsed.error, { root: "query" }));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request", message: /^limit: / } });
  });

  it("answers anything else with a fixed 500 that says nothing of the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { status, body } = await answer(new Error("SELECT * FROM secret_table"));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("secret_table");
    expect(String(log.mock.calls[0])).not.toContain("secret_table");
    log.mockRestore();
    expect(
      await answer(new HttpError({ status: 413, code: "body_too_large", message: "big" })),
    ).toMatchObject({ status: 413 });
  });
});
