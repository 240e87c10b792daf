import { describe, expect, it } from "vitest";
import { type GatewayKeyJson, keyRows, newKeyBody, parseKeyList } from "./gateway-keys";

const form = { name: "", models: "", daily: "", monthly: "" };

describe("newKeyBody", () => {
  it("needs a name and leaves unset parts out", () => {
    expect(newKeyBody(form)).toEqual({ ok: false, message: "the key needs a name" });
    expect(newKeyBody({ ...form, name: " app " })).toEqual({ ok: true, body: { name: "app" } });
  });

  it("reads models and budgets", () => {
    expect(
      newKeyBody({
        name: "app",
        models: "fast, openai:gpt-4o-mini\nfast",
        daily: "$2.5",
        monthly: "",
      }),
    ).toEqual({
      ok: true,
      body: { name: "app", models: ["fast", "openai:gpt-4o-mini"], budgetUsd: { daily: 2.5 } },
    });
  });

  it("refuses a budget that is not a positive amount", () => {
    for (const daily of ["0", "-1", "ten"]) {
      const result = newKeyBody({ ...form, name: "app", daily });
      expect(result.ok, daily).toBe(false);
    }
    expect(newKeyBody({ ...form, name: "app", monthly: "abc" })).toMatchObject({
      ok: false,
      message: "the monthly budget must be a positive amount in USD",
    });
  });
});

function key(overrides: Partial<GatewayKeyJson> = {}): GatewayKeyJson {
  return {
    keyId: "k1",
    name: "app",
    prefix: "lk-abcd",
    createdAt: "2026-01-01T00:00:00.000Z",
    revokedAt: null,
    budgetUsd: { daily: null, monthly: null },
    models: null,
    spendUsd: { today: 0.5, month: 3 },
    ...overrides,
  };
}

describe("keyRows", () => {
  it("shows spend against each budget and flags a spent one", () => {
    const [row] = keyRows([key({ budgetUsd: { daily: 0.5, monthly: 10 } })]);
    expect(row).toMatchObject({
      prefix: "lk-abcd…",
      models: "any model",
      daily: "$0.5000 of $0.5000 today",
      monthly: "$3.00 of $10.00 this month",
      overBudget: true,
      revoked: false,
    });
  });

  it("shows spend alone without a budget, and a revoked key as revoked, not over budget", () => {
    const [row] = keyRows([
      key({
        revokedAt: "2026-01-02T00:00:00.000Z",
        models: ["fast"],
        budgetUsd: { daily: 0.1, monthly: null },
      }),
    ]);
    expect(row).toMatchObject({
      monthly: "$3.00 this month",
      models: "fast",
      revoked: true,
      overBudget: false,
    });
  });
});

describe("parseKeyList", () => {
  it("accepts the API's list and refuses anything else", () => {
    expect(parseKeyList({ keys: [key()] })).toHaveLength(1);
    expect(parseKeyList({ keys: [{ name: "x" }] })).toBeNull();
  });
});
