import { afterEach, describe, expect, it, vi } from "vitest";
import { redactSecrets } from "@/lib/models/secrets";
import {
  DEFAULT_DATABASE_URL,
  evaluationConcurrency,
  getServerEnvironment,
  parseServerEnvironment,
  providerEnvironment,
  reloadServerEnvironment,
  retryPolicy,
  telemetryConfig,
  telemetryConfigOf,
} from "./env";
import { DEFAULT_RETRY_POLICY } from "./runs/retry-policy";

afterEach(() => {
  vi.unstubAllEnvs();
  reloadServerEnvironment();
});

describe("parseServerEnvironment", () => {
  it("trims values and treats blank as unset", () => {
    const parsed = parseServerEnvironment({
      OPENAI_API_KEY: "  sk-abc  ",
      ANTHROPIC_API_KEY: "   ",
      OLLAMA_HOST: "",
    });
    expect(parsed.OPENAI_API_KEY).toBe("sk-abc");
    expect(parsed.ANTHROPIC_API_KEY).toBeUndefined();
    expect(parsed.OLLAMA_HOST).toBeUndefined();
  });

  it("defaults the database as the configuration table says, and nothing else", () => {
    const parsed = parseServerEnvironment({});
    expect(parsed.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
    expect(DEFAULT_DATABASE_URL).toBe("file:./data/playground.db");
    // Provider defaults are lib/models' own, so "not set" stays visible to its hints.
    expect(parsed.OLLAMA_HOST).toBeUndefined();
    expect(parsed.OCI_REGION).toBeUndefined();
    expect(parsed.PLAYGROUND_TOKEN).toBeUndefined();
  });

  it("keeps a malformed provider value for the provider to judge, never throwing", () => {
    expect(parseServerEnvironment({ OLLAMA_HOST: "http://[bad" }).OLLAMA_HOST).toBe("http://[bad");
  });
});

describe("the process environment, read once", () => {
  it("is parsed on first use and kept until reloaded", () => {
    vi.stubEnv("DATABASE_URL", "file:/tmp/first.db");
    expect(getServerEnvironment().DATABASE_URL).toBe("file:/tmp/first.db");
    vi.stubEnv("DATABASE_URL", "file:/tmp/second.db");
    expect(getServerEnvironment().DATABASE_URL).toBe("file:/tmp/first.db");
    reloadServerEnvironment();
    expect(getServerEnvironment().DATABASE_URL).toBe("file:/tmp/second.db");
  });

  it("gives lib/models the provider variables only, not the token or the store", () => {
    vi.stubEnv("PLAYGROUND_TOKEN", "a-long-playground-token-0123456789");
    vi.stubEnv("OPENAI_API_KEY", "sk-provider-key-0123456789");
    const providers = providerEnvironment();
    expect(providers.OPENAI_API_KEY).toBe("sk-provider-key-0123456789");
    expect(providers).not.toHaveProperty("PLAYGROUND_TOKEN");
    expect(providers).not.toHaveProperty("DATABASE_URL");
  });

  it("registers the secrets it read for redaction", () => {
    vi.stubEnv("PLAYGROUND_TOKEN", "plain-looking-token-value");
    getServerEnvironment();
    // Unstubbed: what is redacted now is what was registered when the environment was read.
    vi.unstubAllEnvs();
    expect(redactSecrets("token plain-looking-token-value here")).toBe("token [redacted] here");
  });
});

describe("retryPolicy", () => {
  it("defaults to the policy's own values", () => {
    expect(retryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it("takes attempts and waits from the environment", () => {
    vi.stubEnv("PLAYGROUND_RETRY_ATTEMPTS", "5");
    vi.stubEnv("PLAYGROUND_RETRY_BASE_MS", "250");
    vi.stubEnv("PLAYGROUND_RETRY_MAX_WAIT_MS", "30000");
    expect(retryPolicy()).toEqual({ maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 30_000 });
  });

  it("falls back to the default for a value out of range or not a whole number", () => {
    vi.stubEnv("PLAYGROUND_RETRY_ATTEMPTS", "0");
    vi.stubEnv("PLAYGROUND_RETRY_BASE_MS", "fast");
    expect(retryPolicy()).toMatchObject({
      maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
      baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs,
    });
  });
});

describe("evaluationConcurrency", () => {
  it("defaults to 4 per provider and 16 overall", () => {
    vi.stubEnv("PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY", "");
    vi.stubEnv("PLAYGROUND_EVALUATION_CONCURRENCY", "");
    expect(evaluationConcurrency()).toEqual({ perProvider: 4, total: 16 });
  });

  it("takes both bounds from the environment, ignoring a value out of range", () => {
    vi.stubEnv("PLAYGROUND_EVALUATION_PROVIDER_CONCURRENCY", "8");
    vi.stubEnv("PLAYGROUND_EVALUATION_CONCURRENCY", "0");
    expect(evaluationConcurrency()).toEqual({ perProvider: 8, total: 16 });
  });
});

describe("telemetryConfigOf", () => {
  it("is off without an endpoint, or when the SDK is disabled", () => {
    expect(telemetryConfigOf(parseServerEnvironment({}))).toBeNull();
    expect(
      telemetryConfigOf(
        parseServerEnvironment({
          OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
          OTEL_SDK_DISABLED: "true",
        }),
      ),
    ).toBeNull();
  });

  it("appends /v1/traces to the general endpoint and takes the traces endpoint as given", () => {
    const general = telemetryConfigOf(
      parseServerEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }),
    );
    expect(general).toEqual({
      url: "http://collector:4318/v1/traces",
      headers: {},
      serviceName: "locus-playground",
      timeoutMs: 10_000,
      batchDelayMs: 1_000,
      maxQueued: 2_048,
    });
    const traces = telemetryConfigOf(
      parseServerEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/otlp",
        OTEL_SERVICE_NAME: "playground-eu",
        OTEL_BSP_SCHEDULE_DELAY: "200",
        OTEL_BSP_MAX_QUEUE_SIZE: "oops",
      }),
    );
    expect(traces?.url).toBe("https://traces.example/otlp");
    expect(traces?.serviceName).toBe("playground-eu");
    expect(traces?.batchDelayMs).toBe(200);
    // A typo falls back to the default rather than stopping the server.
    expect(traces?.maxQueued).toBe(2_048);
  });

  it("parses the headers (URL-encoded values, traces-specific ones winning)", () => {
    const config = telemetryConfigOf(
      parseServerEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20dXNlcjpwYXNz, x-team = ml ,broken",
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-team=infra",
      }),
    );
    expect(config?.headers).toEqual({ Authorization: "Basic dXNlcjpwYXNz", "x-team": "infra" });
  });

  it("registers the header values for redaction", () => {
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
    vi.stubEnv("OTEL_EXPORTER_OTLP_HEADERS", "x-honeycomb-team=collector-secret-value");
    telemetryConfig();
    expect(redactSecrets("sent collector-secret-value")).toBe("sent [redacted]");
  });
});
