/**
 * Scrubs credentials from any text that may leave the server (error messages, logs, the
 * database). Known secret environment values are removed verbatim; key-shaped tokens are
 * masked even when we did not configure them (a provider may echo a partial key).
 */

import { processEnvironment } from "./environment";

/** Secret variables of the process environment, redacted even before anything reads them. */
export const SECRET_ENVIRONMENT_VARIABLES = [
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "PLAYGROUND_TOKEN",
  "OCI_PASS_PHRASE",
] as const;

const KEY_PATTERNS: RegExp[] = [
  /sk-ant-[A-Za-z0-9_*.-]{4,}/g,
  /sk-[A-Za-z0-9_*.-]{4,}/g,
  /Bearer\s+[A-Za-z0-9._~+/=*-]+/gi,
  /ST\$[A-Za-z0-9._~+/=-]+/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

const extraSecrets = new Set<string>();

/** Registers a secret value (a key passed in code, a token read from a file) for redaction. */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 8) extraSecrets.add(value);
}

export function redactSecrets(text: string): string {
  let result = text;
  const known = [...extraSecrets];
  const environment = processEnvironment();
  for (const name of SECRET_ENVIRONMENT_VARIABLES) {
    const value = environment[name];
    if (value && value.length >= 8) known.push(value);
  }
  for (const secret of known) result = result.split(secret).join("[redacted]");
  for (const pattern of KEY_PATTERNS) result = result.replace(pattern, "[redacted]");
  return result;
}
