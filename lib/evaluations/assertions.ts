/**
 * What an evaluation checks in each cell. Every check but the judge is a pure function of the
 * cell's outcome; the judge needs a model call, so it is scored elsewhere (`judge.ts`) and only
 * its verdict is turned into a result here. Patterns and schemas are compiled once, when the
 * evaluation is validated, so a bad one is refused before any call is made.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";

export const assertionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("equals") }),
  z.object({ type: z.literal("contains"), value: z.string().min(1) }),
  z.object({
    type: z.literal("regex"),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/, "flags may only be i, m, s and u")
      .optional(),
  }),
  z.object({ type: z.literal("json-schema"), schema: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("max-latency-ms"), value: z.number().positive() }),
  z.object({ type: z.literal("max-cost-usd"), value: z.number().nonnegative() }),
  z.object({
    type: z.literal("judge"),
    model: z.string().min(1),
    rubric: z.string().min(1),
    passScore: z.number().int().min(1).max(5).optional(),
  }),
]);

export type Assertion = z.infer<typeof assertionSchema>;
export type AssertionType = Assertion["type"];

export interface AssertionResult {
  type: AssertionType;
  passed: boolean;
  /** Why, in a few words a person can read in the results grid. */
  detail: string;
}

/** What a cell's call produced, as far as the assertions need to know. */
export interface CellOutcome {
  status: "ok" | "error" | "cancelled" | "interrupted";
  output: string;
  /** The row's expected output, when the test set has one. */
  expected: string | null;
  latencyMs: number | null;
  /** `null` when the model has no price (unpriced), `0` for local models. */
  costUsd: number | null;
  errorMessage: string | null;
}

/** An assertion with its pattern or schema compiled, ready to run on many cells. */
export type JudgeAssertion = Extract<Assertion, { type: "judge" }>;
export type PreparedAssertion =
  | { type: "equals" }
  | { type: "contains"; value: string }
  | { type: "regex"; regex: RegExp; source: string }
  | { type: "json-schema"; validate: ValidateFunction }
  | { type: "max-latency-ms"; value: number }
  | { type: "max-cost-usd"; value: number }
  | JudgeAssertion;
export type CheckableAssertion = Exclude<PreparedAssertion, { type: "judge" }>;

export class InvalidAssertionError extends InvalidInputError {
  override readonly name = "InvalidAssertionError";
  readonly index: number;
  constructor(index: number, message: string) {
    super({ message: `assertions[${index}]: ${message}` });
    this.index = index;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Compiles regexes and schemas; throws `InvalidAssertionError` naming the assertion. */
export function prepareAssertions(assertions: readonly Assertion[]): PreparedAssertion[] {
  return assertions.map((assertion, index) => {
    if (assertion.type === "regex") {
      try {
        const flags = assertion.flags ?? "";
        return {
          type: "regex",
          regex: new RegExp(assertion.pattern, flags),
          source: `/${assertion.pattern}/${flags}`,
        };
      } catch (error) {
        throw new InvalidAssertionError(
          index,
          `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (assertion.type === "json-schema") {
      try {
        return { type: "json-schema", validate: ajv.compile(assertion.schema) };
      } catch (error) {
        throw new InvalidAssertionError(
          index,
          `invalid JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return assertion;
  });
}

function quote(text: string, length = 60): string {
  const single = text.replace(/\s+/g, " ");
  return JSON.stringify(single.length > length ? `${single.slice(0, length)}…` : single);
}

function checkJson(validate: ValidateFunction, output: string): AssertionResult {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return { type: "json-schema", passed: false, detail: "output is not valid JSON" };
  }
  if (validate(value)) return { type: "json-schema", passed: true, detail: "valid JSON" };
  const first = validate.errors?.[0];
  const where = first?.instancePath ? first.instancePath : "the value";
  return {
    type: "json-schema",
    passed: false,
    detail: `${where} ${first?.message ?? "does not match the schema"}`,
  };
}

/**
 * Runs one deterministic assertion on a cell. A cell whose call did not end `ok` fails every
 * assertion with the reason, since there is no answer to judge.
 */
export function checkAssertion(assertion: CheckableAssertion, cell: CellOutcome): AssertionResult {
  if (cell.status !== "ok") {
    const reason = cell.errorMessage ? `: ${cell.errorMessage}` : "";
    return {
      type: assertion.type,
      passed: false,
      detail: `no answer (call ${cell.status}${reason})`,
    };
  }
  switch (assertion.type) {
    case "equals": {
      if (cell.expected === null) {
        return { type: "equals", passed: false, detail: "the row has no expected value" };
      }
      const passed = cell.output.trim() === cell.expected.trim();
      return {
        type: "equals",
        passed,
        detail: passed ? "equals the expected value" : `expected ${quote(cell.expected)}`,
      };
    }
    case "contains": {
      const passed = cell.output.includes(assertion.value);
      return {
        type: "contains",
        passed,
        detail: `${passed ? "contains" : "does not contain"} ${quote(assertion.value)}`,
      };
    }
    case "regex": {
      const passed = assertion.regex.test(cell.output);
      return {
        type: "regex",
        passed,
        detail: `${passed ? "matches" : "does not match"} ${assertion.source}`,
      };
    }
    case "json-schema": {
      return checkJson(assertion.validate, cell.output.trim());
    }
    case "max-latency-ms": {
      if (cell.latencyMs === null) {
        return { type: assertion.type, passed: false, detail: "latency unknown" };
      }
      const passed = cell.latencyMs <= assertion.value;
      return {
        type: assertion.type,
        passed,
        detail: `${Math.round(cell.latencyMs)} ms ${passed ? "≤" : ">"} ${assertion.value} ms`,
      };
    }
    case "max-cost-usd": {
      if (cell.costUsd === null) {
        return { type: assertion.type, passed: false, detail: "cost unknown (unpriced model)" };
      }
      const passed = cell.costUsd <= assertion.value;
      return {
        type: assertion.type,
        passed,
        detail: `$${cell.costUsd.toPrecision(3)} ${passed ? "≤" : ">"} $${assertion.value}`,
      };
    }
    default: {
      const unreachable: never = assertion;
      throw new Error(`unknown assertion ${JSON.stringify(unreachable)}`);
    }
  }
}
