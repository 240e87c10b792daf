import type { LanguageModel, ProviderId } from "./types";

/** Environment variables as read by configuration code; `process.env` fits, and so does a plain object in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface ProviderConfiguration {
  configured: boolean;
  /** Environment variables (names, never values) a person can set to configure it. */
  missing: string[];
  hint?: string;
}

/** What a model or a listing reads its configuration from, when the caller gives one. */
export interface ProviderContext {
  /** Default: the process environment (`processEnvironment()`). */
  environment?: Environment;
}

/** How the registry knows a provider: a factory plus what the UI needs to show it. */
export interface ProviderDefinition {
  id: ProviderId;
  label: string;
  /** Runs on this machine: costs nothing and is never "unpriced". */
  local: boolean;
  createModel: (modelId: string, options?: unknown, context?: ProviderContext) => LanguageModel;
  configuration: (environment?: Environment) => ProviderConfiguration;
  /** Model ids worth offering in a picker; may ask a live server (Ollama). */
  listModels: (options?: { signal?: AbortSignal } & ProviderContext) => Promise<string[]>;
  /**
   * As `listModels`, plus why the list is empty when the provider can tell ("not running at
   * <host>" is not "no models pulled"). Providers without a live server leave it out.
   */
  describeModels?: (
    options?: { signal?: AbortSignal } & ProviderContext,
  ) => Promise<{ models: string[]; problem: string | null }>;
}
