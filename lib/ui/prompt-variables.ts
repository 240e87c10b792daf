/**
 * The playground's variables panel: a prompt written as a template (`{{name}}`) is filled from
 * the panel's values before it is sent. A variable left empty blocks Run and is named, the same
 * rule an evaluation applies to a test set's rows.
 */
import { renderTemplate, templateVariables } from "@/lib/prompts/template";

export interface VariableField {
  name: string;
  value: string;
  empty: boolean;
}

/** One field per variable the prompt uses, in order of first use. */
export function variableFields(
  prompt: string,
  values: Readonly<Record<string, string>>,
): VariableField[] {
  return templateVariables(prompt).map((name) => {
    const value = values[name] ?? "";
    return { name, value, empty: value === "" };
  });
}

export type RenderedPrompt = { ok: true; text: string } | { ok: false; message: string };

/** The prompt to send, or why it may not be sent (every empty variable named). */
export function renderPrompt(
  prompt: string,
  values: Readonly<Record<string, string>>,
): RenderedPrompt {
  const result = renderTemplate(prompt, values);
  if (result.ok) return { ok: true, text: result.text };
  return { ok: false, message: missingVariablesMessage(result.missing) };
}

export function missingVariablesMessage(missing: readonly string[]): string {
  const names = missing.map((name) => `{{${name}}}`);
  return missing.length === 1
    ? `The variable ${names[0]} is empty: fill it in the variables panel.`
    : `The variables ${names.slice(0, -1).join(", ")} and ${names.at(-1)} are empty: fill them in the variables panel.`;
}

/** The values the prompt uses and that are set: what a link carries. */
export function usedVariables(
  prompt: string,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  const used: Record<string, string> = {};
  for (const name of templateVariables(prompt)) {
    const value = values[name];
    if (value !== undefined && value !== "") used[name] = value;
  }
  return used;
}
