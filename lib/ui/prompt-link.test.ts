import { describe, expect, it } from "vitest";
import { playgroundLinkForVersion } from "./prompt-link";
import { decodeSetup } from "./setup";

describe("playgroundLinkForVersion", () => {
  it("opens the version's system prompt, template, tools and schema in the playground", () => {
    const link = playgroundLinkForVersion({
      system: "Be brief.",
      template: "Capital of {{country}}?",
      tools: [
        {
          type: "function",
          function: { name: "lookup", parameters: { type: "object", properties: {} } },
        },
      ],
      responseFormat: {
        type: "json_schema",
        json_schema: { name: "answer", schema: { type: "object" } },
      },
    });
    expect(link.startsWith("/?")).toBe(true);
    const setup = decodeSetup(new URLSearchParams(link.slice(2)));
    expect(setup.system).toBe("Be brief.");
    expect(setup.prompt).toBe("Capital of {{country}}?");
    expect(JSON.parse(setup.tools)).toEqual([
      {
        type: "function",
        function: { name: "lookup", parameters: { type: "object", properties: {} } },
      },
    ]);
    expect(JSON.parse(setup.schema)).toEqual({ type: "object" });
    expect(setup.columns.length).toBeGreaterThan(0);
  });

  it("leaves tools and schema empty when the version has none", () => {
    const setup = decodeSetup(
      new URLSearchParams(
        playgroundLinkForVersion({
          system: null,
          template: "Hi",
          tools: null,
          responseFormat: null,
        }).slice(2),
      ),
    );
    expect(setup.tools).toBe("");
    expect(setup.schema).toBe("");
    expect(setup.system).toBe("");
  });
});
