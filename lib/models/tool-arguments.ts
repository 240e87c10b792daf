/**
 * Decodes tool-call arguments as providers send them (locus `_decode_tool_arguments`):
 * an object is itself, a JSON object string is parsed, a double-encoded JSON object string
 * (OCI Llama) is parsed twice; anything else is `{}`.
 */
export function decodeToolArguments(value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  if (typeof value !== "string" || value.trim() === "") return {};
  const once = safeJsonParse(value);
  if (isPlainObject(once)) return once;
  if (typeof once === "string") {
    const twice = safeJsonParse(once);
    if (isPlainObject(twice)) return twice;
  }
  return {};
}

export function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
