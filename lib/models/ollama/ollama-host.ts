/**
 * Where the Ollama server is. The SDK does not read `OLLAMA_HOST`; we do, and we normalize
 * the value with the same rules as ollama-js (`formatHost`) so that the URL we record is the
 * URL the SDK calls: a host without a scheme gets `http://` and port 11434, `:11434` means
 * 127.0.0.1, an explicit scheme without a port gets 80/443, a trailing slash is dropped.
 */
import { processEnvironment } from "../environment";
import type { Environment } from "../provider-definition";
import { registerSecret } from "../secrets";

export const OLLAMA_HOST_VARIABLE = "OLLAMA_HOST";
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";
const DEFAULT_OLLAMA_PORT = "11434";

export interface OllamaHost {
  /** Normalized origin plus path prefix, without credentials, e.g. `http://127.0.0.1:11434`. */
  url: string;
  /** `Basic …` when the host carried `user:password@` (a reverse proxy); never shown. */
  authorization: string | null;
}

/** Normalizes a host the way the SDK would; `null` when it is not an http(s) URL. */
export function parseOllamaHost(value: string): OllamaHost | null {
  let host = value.trim();
  if (host === "") return null;
  let explicitScheme = host.includes("://");
  if (host.startsWith(":")) {
    host = `http://127.0.0.1${host}`;
    explicitScheme = true;
  }
  if (!explicitScheme) host = `http://${host}`;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.hostname === "") return null;
  const port =
    url.port || (explicitScheme ? (url.protocol === "https:" ? "443" : "80") : DEFAULT_OLLAMA_PORT);
  const path = url.pathname.replace(/\/+$/, "");
  let authorization: string | null = null;
  if (url.username) {
    // fetch refuses URLs with credentials, so they travel as a header instead.
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    const token = Buffer.from(credentials).toString("base64");
    registerSecret(decodeURIComponent(url.password));
    registerSecret(token);
    authorization = `Basic ${token}`;
  }
  return { url: `${url.protocol}//${url.hostname}:${port}${path}`, authorization };
}

/** The configured host string: the explicit option, else `OLLAMA_HOST`, else the default. */
export function resolveOllamaHostSetting(options: { host?: string; environment?: Environment }): {
  value: string;
  source: "option" | "environment" | "default";
} {
  if (options.host !== undefined) return { value: options.host, source: "option" };
  const fromEnvironment = (options.environment ?? processEnvironment())[
    OLLAMA_HOST_VARIABLE
  ]?.trim();
  if (fromEnvironment) return { value: fromEnvironment, source: "environment" };
  return { value: DEFAULT_OLLAMA_HOST, source: "default" };
}
