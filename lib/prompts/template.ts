/**
 * Prompt templates: `{{name}}` variables, substituted as plain text. No HTML escaping and no
 * logic (a prompt is not a web page), which is what the Anthropic console and promptfoo's simple
 * case do; whitespace inside the braces is allowed (`{{ name }}`).
 */

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The distinct variable names a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

export type RenderResult =
  | { ok: true; text: string; unused: string[] }
  | { ok: false; missing: string[] };

/**
 * Substitutes every variable (each occurrence of a repeated one). A variable that has no value,
 * or only an empty one, is missing: a prompt rendered with a hole in it would be scored as if
 * the model had failed. Values the template does not use are returned as `unused`.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
): RenderResult {
  const used = templateVariables(template);
  const missing = used.filter((name) => !Object.hasOwn(values, name) || values[name] === "");
  if (missing.length > 0) return { ok: false, missing };
  const text = template.replace(VARIABLE, (_whole, name: string) => values[name] ?? "");
  const unused = Object.keys(values).filter((name) => !used.includes(name));
  return { ok: true, text, unused };
}
