import { describe, expect, it } from "vitest";
import { inlineSchemaReferences } from "./inline-schema-references";

describe("inlineSchemaReferences", () => {
  it("inlines $defs and definitions references, keeping sibling keywords", () => {
    expect(
      inlineSchemaReferences({
        type: "object",
        properties: {
          home: { $ref: "#/$defs/Address", description: "where they live" },
          work: { $ref: "#/definitions/Address" },
          tags: { type: "array", items: { $ref: "#/$defs/Tag" } },
          definitions: { type: "string" },
        },
        $defs: {
          Address: { type: "object", properties: { city: { type: "string" } } },
          Tag: { type: "string" },
        },
        definitions: { Address: { type: "object", properties: { city: { type: "string" } } } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        home: {
          type: "object",
          properties: { city: { type: "string" } },
          description: "where they live",
        },
        work: { type: "object", properties: { city: { type: "string" } } },
        tags: { type: "array", items: { type: "string" } },
        // A property that is merely named `definitions` is data, not a definitions table.
        definitions: { type: "string" },
      },
    });
  });

  it("turns a reference cycle into an open schema instead of recursing forever", () => {
    expect(
      inlineSchemaReferences({
        $ref: "#/$defs/Node",
        $defs: {
          Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } },
        },
      }),
    ).toEqual({ type: "object", properties: { next: {} } });
  });
});
