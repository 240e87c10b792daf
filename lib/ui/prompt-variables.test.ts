import { describe, expect, it } from "vitest";
import { renderPrompt, usedVariables, variableFields } from "./prompt-variables";

describe("variableFields", () => {
  it("gives one field per variable, in order of first use, marking the empty ones", () => {
    expect(variableFields("{{b}} {{a}} {{ b }}", { a: "x", c: "unused" })).toEqual([
      { name: "b", value: "", empty: true },
      { name: "a", value: "x", empty: false },
    ]);
  });

  it("has no fields for a prompt without variables", () => {
    expect(variableFields("Plain { text }", { a: "x" })).toEqual([]);
  });
});

describe("renderPrompt", () => {
  it("substitutes every occurrence", () => {
    expect(renderPrompt("Capital of {{country}}? {{country}}!", { country: "Peru" })).toEqual({
      ok: true,
      text: "Capital of Peru? Peru!",
    });
  });

  it("names the one empty variable", () => {
    const result = renderPrompt("Capital of {{country}}?", { country: "" });
    expect(result).toEqual({
      ok: false,
      message: "The variable {{country}} is empty: fill it in the variables panel.",
    });
  });

  it("names every empty variable", () => {
    const result = renderPrompt("{{a}} {{b}} {{c}}", { b: "set" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(
      "The variables {{a}} and {{c}} are empty: fill them in the variables panel.",
    );
  });

  it("leaves a prompt without variables as it is", () => {
    expect(renderPrompt("Hi", {})).toEqual({ ok: true, text: "Hi" });
  });
});

describe("usedVariables", () => {
  it("keeps only the set values the prompt uses", () => {
    expect(usedVariables("{{a}} {{b}}", { a: "1", b: "", c: "3" })).toEqual({ a: "1" });
  });
});
