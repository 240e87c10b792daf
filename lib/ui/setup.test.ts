import { describe, expect, it } from "vitest";
import { decodeSetup, defaultSetup, encodeSetup, type Setup } from "./setup";

const setup: Setup = {
  system: "Be brief.",
  prompt: "Explain WAL mode & fsync in one paragraph?",
  columns: [
    {
      id: "column-1",
      model: "openai:gpt-4o-mini",
      params: { temperature: 0.2, maxTokens: 400 },
      system: null,
    },
    {
      id: "column-2",
      model: "anthropic:claude-sonnet-4-5",
      params: { promptCache: true, stop: ["END"], seed: 7, topP: 0.9 },
      system: "Answer as a pirate.",
    },
    { id: "column-3", model: "ollama:llama3.2:1b", params: {}, system: null },
  ],
  tools: '[{"name":"get_weather"}]',
  schema: '{"type":"object"}',
};

describe("URL setup", () => {
  it("round-trips a full setup through the query string", () => {
    expect(decodeSetup(new URLSearchParams(encodeSetup(setup)))).toEqual(setup);
  });

  it("carries the values of the variables the prompt uses, and only those", () => {
    const withVariables: Setup = {
      ...setup,
      prompt: "Capital of {{country}}?",
      variables: { country: "Peru & Chile", unused: "dropped", empty: "" },
    };
    const decoded = decodeSetup(new URLSearchParams(encodeSetup(withVariables)));
    expect(decoded.prompt).toBe("Capital of {{country}}?");
    expect(decoded.variables).toEqual({ country: "Peru & Chile" });
    expect(decodeSetup(new URLSearchParams({ vars: "[1]" })).variables).toBeUndefined();
  });

  it("reads the record Next passes to a page", () => {
    const query = new URLSearchParams(encodeSetup(setup));
    const record = Object.fromEntries(query.entries());
    expect(decodeSetup(record)).toEqual(setup);
  });

  it("falls back to the default columns when the columns part is not valid", () => {
    const defaults = defaultSetup().columns;
    const cases = [
      "not json",
      "[]",
      JSON.stringify([{ model: "no-colon" }]),
      JSON.stringify([{ model: "openai:gpt-4o", params: { temperature: 9 } }]),
      JSON.stringify([{ model: "openai:gpt-4o", params: { maxTokens: 1.5 } }]),
      JSON.stringify(Array.from({ length: 17 }, () => ({ model: "demo:chat" }))),
    ];
    for (const columns of cases) {
      const decoded = decodeSetup(new URLSearchParams({ prompt: "kept", columns }));
      expect(decoded.columns).toEqual(defaults);
      expect(decoded.prompt).toBe("kept");
    }
  });

  it("gives the defaults for an empty URL", () => {
    expect(decodeSetup(new URLSearchParams())).toEqual(defaultSetup());
  });

  it("leaves unset parameters out of the link", () => {
    const query = encodeSetup({
      ...defaultSetup(),
      columns: [
        {
          id: "column-1",
          model: "demo:chat",
          params: { stop: [], promptCache: false },
          system: null,
        },
      ],
    });
    expect(new URLSearchParams(query).get("columns")).toBe('[{"model":"demo:chat"}]');
  });
});
