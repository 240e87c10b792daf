/**
 * What `GET /api/models` shows: every provider, configured or not (with the variables to set),
 * and its known models. Listing is bounded in time so one unreachable server (a stopped
 * Ollama) cannot stall the page.
 */
import "server-only";
import { type Environment, listProviders, type ProviderId } from "@/lib/models";
import { redactSecrets } from "@/lib/models/secrets";

const LIST_TIMEOUT_MS = 1_500;

export interface ProviderSummary {
  id: ProviderId;
  label: string;
  local: boolean;
  configuration: { configured: boolean; missing: string[]; hint: string | null };
  /** Full model strings, e.g. `openai:gpt-4o-mini`. */
  models: string[];
  /** Why the list is empty or partial, when listing failed (e.g. Ollama not reachable). */
  modelsError: string | null;
}

/** `environment` is the server's parsed one (`providerEnvironment()`); tests give their own. */
export async function describeProviders(options: {
  environment: Environment;
  timeoutMs?: number;
}): Promise<ProviderSummary[]> {
  return Promise.all(
    listProviders().map(async (definition): Promise<ProviderSummary> => {
      let configuration: ProviderSummary["configuration"];
      try {
        const found = definition.configuration(options.environment);
        configuration = {
          configured: found.configured,
          missing: found.missing,
          hint: found.hint ? redactSecrets(found.hint) : null,
        };
      } catch {
        configuration = { configured: false, missing: [], hint: "configuration could not be read" };
      }
      let models: string[] = [];
      let modelsError: string | null = null;
      try {
        const signal = AbortSignal.timeout(options.timeoutMs ?? LIST_TIMEOUT_MS);
        const listing = definition.describeModels
          ? definition.describeModels({ signal, environment: options.environment })
          : definition
              .listModels({ signal, environment: options.environment })
              .then((listed) => ({ models: listed, problem: null }));
        const described = await Promise.race([
          listing,
          new Promise<never>((_, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
          ),
        ]);
        models = described.models.map((modelId) => `${definition.id}:${modelId}`);
        modelsError = described.problem === null ? null : redactSecrets(described.problem);
      } catch (error) {
        modelsError =
          error instanceof Error && error.name === "TimeoutError"
            ? "listing models timed out"
            : "could not list models";
      }
      return {
        id: definition.id,
        label: definition.label,
        local: definition.local,
        configuration,
        models,
        modelsError,
      };
    }),
  );
}
