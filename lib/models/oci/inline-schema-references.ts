/**
 * Gemini on OCI rejects JSON schemas that use `$ref`; locus inlines local references
 * (`#/$defs/X`, `#/definitions/X`) for `google.*` models. A reference cycle cannot be inlined:
 * the inner occurrence becomes an open `{}` schema instead of looping forever.
 */
import { isPlainObject } from "../tool-arguments";

type Schema = Record<string, unknown>;

function definitionsOf(root: Schema): Schema {
  const definitions: Schema = {};
  for (const key of ["definitions", "$defs"]) {
    const value = root[key];
    if (isPlainObject(value)) Object.assign(definitions, value);
  }
  return definitions;
}

function referencedName(reference: string): string | null {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(reference);
  return match?.[1] ? decodeURIComponent(match[1].replace(/~1/g, "/").replace(/~0/g, "~")) : null;
}

export function inlineSchemaReferences(schema: Schema): Schema {
  const definitions = definitionsOf(schema);

  const visit = (value: unknown, resolving: ReadonlySet<string>): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, resolving));
    if (!isPlainObject(value)) return value;
    const reference = typeof value.$ref === "string" ? referencedName(value.$ref) : null;
    if (reference !== null) {
      const target = definitions[reference];
      if (!isPlainObject(target) || resolving.has(reference)) return {};
      const { $ref: _reference, ...siblings } = value;
      const inlined = visit(target, new Set([...resolving, reference]));
      return isPlainObject(inlined)
        ? { ...inlined, ...(visit(siblings, resolving) as Schema) }
        : inlined;
    }
    const result: Schema = {};
    for (const [key, child] of Object.entries(value)) result[key] = visit(child, resolving);
    return result;
  };

  // Only the root's definitions go: a property that happens to be named `definitions` stays.
  const { $defs: _defs, definitions: _definitions, ...root } = schema;
  const inlined = visit(root, new Set());
  return isPlainObject(inlined) ? inlined : {};
}
