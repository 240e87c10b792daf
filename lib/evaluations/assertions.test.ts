import { describe, expect, it } from "vitest";
import {
  type Assertion,
  assertionSchema,
  type CellOutcome,
  type CheckableAssertion,
  checkAssertion,
  InvalidAssertionError,
  prepareAssertions,
} from "./assertions";

function cell(overrides: Partial<CellOutcome> = {}): CellOutcome {
  return {
    status: "ok",
    output: "Paris",
    expected: "Paris",
    latencyMs: 800,
    costUsd: 0.0002,
    errorMessage: null,
    ...overrides,
  };
}

function check(assertion: Assertion, outcome: CellOutcome) {
  const [prepared] = prepareAssertions([assertion]);
  if (!prepared || prepared.type === "judge") throw new Error("not checkable");
  return checkAssertion(prepared as CheckableAssertion, outcome);
}

describe("equals", () => {
  it("passes on the expected value, ignoring surrounding whitespace", () => {
    expect(check({ type: "equals" }, cell({ output: "  Paris\n" })).passed).toBe(true);
  });
  it("fails on anything else and shows what was expected", () => {
    const result = check({ type: "equals" }, cell({ output: "paris" }));
    expect(result).toEqual({ type: "equals", passed: false, detail: 'expected "Paris"' });
  });
  it("fails with a reason when the row has no expected value", () => {
    const result = check({ type: "equals" }, cell({ expected: null }));
    expect(result.passed).toBe(false);
    expect(result.detail).toBe("the row has no expected value");
  });
});

describe("contains and regex", () => {
  it("contains is case-sensitive", () => {
    expect(check({ type: "contains", value: "Par" }, cell()).passed).toBe(true);
    expect(check({ type: "contains", value: "par" }, cell()).passed).toBe(false);
  });
  it("regex honours its flags and gives the same verdict on every cell", () => {
    const [prepared] = prepareAssertions([{ type: "regex", pattern: "^par", flags: "i" }]);
    const assertion = prepared as CheckableAssertion;
    expect(checkAssertion(assertion, cell()).passed).toBe(true);
    expect(checkAssertion(assertion, cell()).passed).toBe(true);
    expect(checkAssertion(assertion, cell({ output: "Lyon" })).detail).toBe(
      "does not match /^par/i",
    );
  });
  it("an invalid pattern is refused when the evaluation is prepared, naming the assertion", () => {
    expect(() =>
      prepareAssertions([
        { type: "contains", value: "x" },
        { type: "regex", pattern: "(" },
      ]),
    ).toThrow(InvalidAssertionError);
    expect(() => prepareAssertions([{ type: "regex", pattern: "(" }])).toThrow(/assertions\[0\]/);
  });
  it("the schema refuses global and sticky flags, which would make a regex stateful", () => {
    expect(assertionSchema.safeParse({ type: "regex", pattern: "a", flags: "g" }).success).toBe(
      false,
    );
  });
});

describe("json-schema", () => {
  const schema = {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  };
  it("passes JSON that matches", () => {
    expect(check({ type: "json-schema", schema }, cell({ output: '{"city":"Paris"}' }))).toEqual({
      type: "json-schema",
      passed: true,
      detail: "valid JSON",
    });
  });
  it("fails text that is not JSON", () => {
    expect(check({ type: "json-schema", schema }, cell({ output: "Paris" })).detail).toBe(
      "output is not valid JSON",
    );
  });
  it("fails JSON that does not match, saying where", () => {
    const result = check({ type: "json-schema", schema }, cell({ output: '{"city":3}' }));
    expect(result.passed).toBe(false);
    expect(result.detail).toBe("/city must be string");
  });
  it("an invalid schema is refused when the evaluation is prepared", () => {
    expect(() =>
      prepareAssertions([{ type: "json-schema", schema: { type: "no-such-type" } }]),
    ).toThrow(/invalid JSON Schema/);
  });
});

describe("latency and cost limits", () => {
  it("compare against the limit, inclusive", () => {
    expect(check({ type: "max-latency-ms", value: 800 }, cell()).passed).toBe(true);
    expect(check({ type: "max-latency-ms", value: 799 }, cell()).passed).toBe(false);
    expect(check({ type: "max-cost-usd", value: 0.0002 }, cell()).passed).toBe(true);
    expect(check({ type: "max-cost-usd", value: 0.0001 }, cell()).passed).toBe(false);
  });
  it("an unknown cost or latency fails: it cannot be shown to be within the limit", () => {
    expect(check({ type: "max-cost-usd", value: 1 }, cell({ costUsd: null })).detail).toBe(
      "cost unknown (unpriced model)",
    );
    expect(check({ type: "max-latency-ms", value: 1 }, cell({ latencyMs: null })).passed).toBe(
      false,
    );
  });
  it("a local model's zero cost is within any limit", () => {
    expect(check({ type: "max-cost-usd", value: 0 }, cell({ costUsd: 0 })).passed).toBe(true);
  });
});

describe("a call that did not answer", () => {
  it("fails every assertion with the call's reason", () => {
    const failed = cell({ status: "error", output: "", errorMessage: "rate limited" });
    for (const assertion of [
      { type: "contains", value: "" },
      { type: "max-cost-usd", value: 1 },
    ] as Assertion[]) {
      const result = check(assertion, failed);
      expect(result.passed).toBe(false);
      expect(result.detail).toBe("no answer (call error: rate limited)");
    }
  });
});
