/**
 * The server's environment: one zod schema for every variable of the configuration table
 * (README, "Configuration"), read from `process.env` once, on first use, and handed to what
 * needs it — `lib/models` gets `providerEnvironment()`, the gate gets the token, the store its
 * URL. Nothing else in the app reads `process.env` (`lib/models` falls back to it only for
 * callers outside the app that pass no environment).
 *
 * Provider variables are only trimmed here, not judged: a malformed `OLLAMA_HOST` or a missing
 * key makes that provider "not configured" (`lib/models` says what to set) and never stops the
 * server or the other providers. Their defaults (Ollama's host, OCI's profile and region) are
 * `lib/models`' own, so the library behaves the same with or without this module.
 */
import "server-only";
import { z } from "zod";
import type { Environment } from "@/lib/models/provider-definition";
import { registerSecret, SECRET_ENVIRONMENT_VARIABLES } from "@/lib/models/secrets";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "@/lib/runs/retry-policy";

export const DEFAULT_DATABASE_URL = "file:./data/playground.db";

/** Unset and empty (or blank) are the same: `undefined`. */
const setting = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/** What `lib/models` reads; passed to it as its `Environment`. */
const providerVariables = {
  OPENAI_API_KEY: setting,
  OPENAI_BASE_URL: setting,
  ANTHROPIC_API_KEY: setting,
  ANTHROPIC_BASE_URL: setting,
  OLLAMA_HOST: setting,
  OCI_CONFIG_FILE: setting,
  OCI_PROFILE: setting,
  OCI_AUTH_TYPE: setting,
  OCI_REGION: setting,
  OCI_COMPARTMENT: setting,
  OCI_COMPARTMENT_ID: setting,
  OCI_GENAI_BASE_URL: setting,
  OCI_PASS_PHRASE: setting,
  /** Instance-principal endpoints, for a realm (or a test) other than the defaults. */
  OCI_METADATA_BASE_URL: setting,
  OCI_FEDERATION_ENDPOINT: setting,
} as const;

const PROVIDER_VARIABLE_NAMES = Object.keys(providerVariables) as Array<
  keyof typeof providerVariables
>;

/** A whole number in range, else the default: a typo never stops the server. */
function wholeNumber(value: string | undefined, range: [number, number], fallback: number): number {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number >= range[0] && number <= range[1]
    ? number
    : fallback;
}

export const serverEnvironmentSchema = z.object({
  ...providerVariables,
  DATABASE_URL: setting.transform((value) => value ?? DEFAULT_DATABASE_URL),
  PLAYGROUND_TOKEN: setting,
  /** Attempts per playground call, the first included (1 = no retries). */
  PLAYGROUND_RETRY_ATTEMPTS: setting,
  /** Backoff before the first retry when the provider names no delay, in ms. */
  PLAYGROUND_RETRY_BASE_MS: setting,
  /** The longest wait accepted (a longer `retry-after` fails the call at once), in ms. */
  PLAYGROUND_RETRY_MAX_WAIT_MS: setting,
  /** Evaluation calls in flight to one provider at a time (judge calls counted apart). */
  PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY: setting,
  /** Evaluation calls in flight overall, unless an evaluation names its own `concurrency`. */
  PLAYGROUND_EVALUATION_CONCURRENCY: setting,
  // OpenTelemetry export of recorded calls (the SDK's standard variables; `telemetryConfig()`).
  OTEL_EXPORTER_OTLP_ENDPOINT: setting,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: setting,
  OTEL_EXPORTER_OTLP_HEADERS: setting,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: setting,
  OTEL_EXPORTER_OTLP_TIMEOUT: setting,
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: setting,
  OTEL_SERVICE_NAME: setting,
  OTEL_BSP_SCHEDULE_DELAY: setting,
  OTEL_BSP_MAX_QUEUE_SIZE: setting,
  OTEL_SDK_DISABLED: setting,
});

export type ServerEnvironment = z.output<typeof serverEnvironmentSchema>;

/** Parses an environment; pure, so tests give a plain object. */
export function parseServerEnvironment(source: Environment): ServerEnvironment {
  return serverEnvironmentSchema.parse(source);
}

let cached: { server: ServerEnvironment; providers: Environment } | null = null;

function load(): { server: ServerEnvironment; providers: Environment } {
  if (cached) return cached;
  const server = parseServerEnvironment(process.env);
  // Redaction knows the secrets before any error message could carry one.
  for (const name of SECRET_ENVIRONMENT_VARIABLES) registerSecret(server[name]);
  const providers: Record<string, string | undefined> = {};
  for (const name of PROVIDER_VARIABLE_NAMES) providers[name] = server[name];
  cached = { server, providers: Object.freeze(providers) };
  return cached;
}

export function getServerEnvironment(): ServerEnvironment {
  return load().server;
}

/** Only the provider variables: what `getModel`, `configuration` and `listModels` are given. */
export function providerEnvironment(): Environment {
  return load().providers;
}

/** The retry policy of playground calls: the environment's settings over the defaults. */
export function retryPolicy(): RetryPolicy {
  const server = load().server;
  const defaults = DEFAULT_RETRY_POLICY;
  return {
    maxAttempts: wholeNumber(server.PLAYGROUND_RETRY_ATTEMPTS, [1, 10], defaults.maxAttempts),
    baseDelayMs: wholeNumber(server.PLAYGROUND_RETRY_BASE_MS, [0, 60_000], defaults.baseDelayMs),
    maxDelayMs: wholeNumber(server.PLAYGROUND_RETRY_MAX_WAIT_MS, [0, 600_000], defaults.maxDelayMs),
  };
}

export const DEFAULT_EVALUATION_PROVIDER_CONCURRENCY = 4;
export const DEFAULT_EVALUATION_CONCURRENCY = 16;

/** The evaluation runner's bounds: per provider (default 4) and overall (default 16). */
export function evaluationConcurrency(): { perProvider: number; total: number } {
  const server = load().server;
  return {
    perProvider: wholeNumber(
      server.PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY,
      [1, 256],
      DEFAULT_EVALUATION_PROVIDER_CONCURRENCY,
    ),
    total: wholeNumber(
      server.PLAYGROUND_EVALUATION_CONCURRENCY,
      [1, 256],
      DEFAULT_EVALUATION_CONCURRENCY,
    ),
  };
}

/** Where and how recorded calls are exported as OTLP/HTTP spans; `null`: export is off. */
export interface TelemetryConfig {
  /** The traces URL the spans are posted to. */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  timeoutMs: number;
  batchDelayMs: number;
  maxQueued: number;
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS`: `name=value` pairs separated by commas, values URL-encoded (the
 * OpenTelemetry format). A pair without `=` is skipped rather than stopping the server.
 */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    const equals = pair.indexOf("=");
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    let headerValue = pair.slice(equals + 1).trim();
    try {
      headerValue = decodeURIComponent(headerValue);
    } catch {
      // Not URL-encoded after all: kept as written.
    }
    if (name) headers[name] = headerValue;
  }
  return headers;
}

/**
 * The export configuration from the standard variables: the traces endpoint is used as given,
 * the general one gets `/v1/traces` appended (as the OTLP specification says), the
 * traces-specific headers and timeout win over the general ones. Header values are registered
 * for redaction: they usually carry the collector's credentials.
 */
export function telemetryConfigOf(server: ServerEnvironment): TelemetryConfig | null {
  if (server.OTEL_SDK_DISABLED?.toLowerCase() === "true") return null;
  const base = server.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url =
    server.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (base === undefined ? undefined : `${base.replace(/\/+$/, "")}/v1/traces`);
  if (url === undefined) return null;
  const headers = {
    ...parseOtlpHeaders(server.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseOtlpHeaders(server.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
  };
  const timeout = server.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? server.OTEL_EXPORTER_OTLP_TIMEOUT;
  return {
    url,
    headers,
    serviceName: server.OTEL_SERVICE_NAME ?? "locus-playground",
    timeoutMs: wholeNumber(timeout, [1, 600_000], 10_000),
    batchDelayMs: wholeNumber(server.OTEL_BSP_SCHEDULE_DELAY, [1, 600_000], 1_000),
    maxQueued: wholeNumber(server.OTEL_BSP_MAX_QUEUE_SIZE, [1, 1_000_000], 2_048),
  };
}

export function telemetryConfig(): TelemetryConfig | null {
  const config = telemetryConfigOf(load().server);
  for (const value of Object.values(config?.headers ?? {})) registerSecret(value);
  return config;
}

/** Forgets the parsed environment; the next read parses `process.env` again. For tests. */
export function reloadServerEnvironment(): void {
  cached = null;
}
