/**
 * `GET /api/models` as the model picker reads it, plus the few questions the page asks of it.
 */
import * as z from "zod/mini";
import { isLocalProvider, isSimulatedProvider } from "@/lib/models/providers";

const providerSchema = z.object({
  id: z.string(),
  label: z.string(),
  local: z.boolean(),
  configuration: z.object({
    configured: z.boolean(),
    missing: z.array(z.string()),
    hint: z.nullable(z.optional(z.string())),
  }),
  models: z.array(z.string()),
  modelsError: z.optional(z.nullable(z.string())),
});

const modelsResponseSchema = z.object({ providers: z.array(providerSchema) });

export type ProviderInfo = z.infer<typeof providerSchema>;

export function parseModelsResponse(json: unknown): ProviderInfo[] | null {
  const result = modelsResponseSchema.safeParse(json);
  return result.success ? result.data.providers : null;
}

export function providerIdOf(model: string): string {
  const colon = model.indexOf(":");
  return colon === -1 ? model : model.slice(0, colon);
}

/** The model's name within its provider: `ollama:llama3.2:1b` → `llama3.2:1b`. */
export function modelNameOf(model: string): string {
  const colon = model.indexOf(":");
  return colon === -1 ? model : model.slice(colon + 1);
}

/**
 * How the picker names a model: always with its provider (a closed select shows only the
 * chosen option, and "chat" alone says nothing), and a demo model as simulated.
 */
export function modelOptionLabel(model: string): string {
  return isSimulatedProvider(providerIdOf(model)) ? `${model} (simulated)` : model;
}

/** What a provider group says after its label: not configured, not running, no models. */
export function providerGroupLabel(provider: ProviderInfo): string {
  if (!provider.configuration.configured) {
    const missing = provider.configuration.missing;
    return `${provider.label} — not configured${missing.length > 0 ? `: set ${missing.join(" or ")}` : ""}`;
  }
  if (provider.models.length === 0 && provider.modelsError) {
    return `${provider.label} — ${provider.modelsError}`;
  }
  return provider.label;
}

/** Local providers (Ollama, demo) cost nothing; before the list loads, the library's list decides. */
export function isLocalModel(model: string, providers: ProviderInfo[] | null): boolean {
  const id = providerIdOf(model);
  const provider = providers?.find((candidate) => candidate.id === id);
  if (provider) return provider.local;
  return isLocalProvider(id);
}

export function findProvider(
  model: string,
  providers: ProviderInfo[] | null,
): ProviderInfo | undefined {
  const id = providerIdOf(model);
  return providers?.find((candidate) => candidate.id === id);
}
