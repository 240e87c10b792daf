/**
 * `getModel("provider:model", options)` — the entry point of `lib/models` (locus `get_model`).
 * The string is split on the first colon, so `ollama:llama3.3:70b` is model `llama3.3:70b`.
 */
import { anthropicProvider } from "./anthropic";
import { demoProvider } from "./demo";
import { ModelStringError } from "./errors";
import { ociProvider } from "./oci";
import { ollamaProvider } from "./ollama";
import { openaiProvider } from "./openai";
import type { ProviderContext, ProviderDefinition } from "./provider-definition";
import { PROVIDER_IDS } from "./providers";
import type { LanguageModel, ProviderId } from "./types";

/** A record, so a provider added to `PROVIDERS` without a factory fails to compile. */
const definitions: Record<ProviderId, ProviderDefinition> = {
  openai: openaiProvider,
  anthropic: anthropicProvider,
  ollama: ollamaProvider,
  oci: ociProvider,
  demo: demoProvider,
};

const providers = new Map<string, ProviderDefinition>(
  PROVIDER_IDS.map((id) => [id, definitions[id]]),
);

export function listProviders(): ProviderDefinition[] {
  return [...providers.values()];
}

export function getProvider(id: string): ProviderDefinition | undefined {
  return providers.get(id);
}

export interface ParsedModelString {
  provider: ProviderId;
  modelId: string;
}

/** Parses and checks a model string without building a model; throws `ModelStringError`. */
export function parseModelString(value: string): ParsedModelString {
  const available = `[${[...providers.keys()].map((id) => `'${id}'`).join(", ")}]`;
  const colon = value.indexOf(":");
  if (colon === -1) {
    throw new ModelStringError(
      `Model string must be 'provider:model', got: ${value}. Available providers: ${available}`,
    );
  }
  const provider = value.slice(0, colon);
  const modelId = value.slice(colon + 1);
  const definition = providers.get(provider);
  if (!definition) {
    throw new ModelStringError(`Unknown provider: ${provider}. Available: ${available}`);
  }
  if (modelId.trim() === "") {
    throw new ModelStringError(`Model string '${value}' names no model after the colon`);
  }
  return { provider: definition.id, modelId };
}

/**
 * `context.environment` is where keys and hosts come from when `options` does not give them;
 * without it, the process environment.
 */
export function getModel(
  value: string,
  options?: unknown,
  context?: ProviderContext,
): LanguageModel {
  const { provider, modelId } = parseModelString(value);
  const definition = providers.get(provider);
  if (!definition) throw new ModelStringError(`Unknown provider: ${provider}`);
  return definition.createModel(modelId, options, context);
}
