import { describe, expect, it } from "vitest";
import { renderTemplate, templateVariables } from "./template";

describe("templateVariables", () => {
  it("lists each variable once, in order of first use, with or without inner spaces", () => {
    expect(templateVariables("{{b}} then {{ a }} and {{b}} again, {{c.d}}")).toEqual([
      "b",
      "a",
      "c.d",
    ]);
  });

  it("ignores braces that are not a variable", () => {
    expect(templateVariables("{{}} {{ 1x }} { x } {{x y}}")).toEqual([]);
  });
});

describe("renderTemplate", () => {
  it("substitutes every occurrence of a repeated variable", () => {
    expect(renderTemplate("{{word}}, {{ word }}!", { word: "hi" })).toEqual({
      ok: true,
      text: "hi, hi!",
      unused: [],
    });
  });

  it("names every missing or empty variable and renders nothing", () => {
    expect(renderTemplate("{{a}} {{b}} {{c}}", { b: "", c: "x" })).toEqual({
      ok: false,
      missing: ["a", "b"],
    });
  });

  it("reports extra values as unused without failing", () => {
    expect(renderTemplate("Q: {{question}}", { question: "why?", expected: "42" })).toEqual({
      ok: true,
      text: "Q: why?",
      unused: ["expected"],
    });
  });

  it("inserts values literally: no escaping, and no second substitution of braces in values", () => {
    expect(renderTemplate("{{a}}", { a: "<b> & {{b}} $1" })).toEqual({
      ok: true,
      text: "<b> & {{b}} $1",
      unused: [],
    });
  });

  it("does not take inherited object properties as values", () => {
    expect(renderTemplate("{{toString}}", {})).toEqual({ ok: false, missing: ["toString"] });
  });
});
