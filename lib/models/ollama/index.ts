import { ServerNotRunningError } from "../errors";
import type { ProviderDefinition } from "../provider-definition";
import { providerInfo } from "../providers";
import { ollamaTagsSchema } from "./ollama-api";
import { OllamaChatModel } from "./ollama-chat-model";
import {
  OLLAMA_HOST_VARIABLE,
  type OllamaHost,
  parseOllamaHost,
  resolveOllamaHostSetting,
} from "./ollama-host";
import { openOllamaCall } from "./ollama-transport";

export { OllamaChatModel, type OllamaModelOptions } from "./ollama-chat-model";
export { DEFAULT_OLLAMA_HOST, parseOllamaHost } from "./ollama-host";

/** A picker must not wait on a server that is not there. */
export const LIST_MODELS_TIMEOUT_MS = 1_500;

/** The installed models of the server at `host` (`/api/tags`); `[]` when it does not answer. */
export async function listOllamaModels(options: {
  host: OllamaHost;
  signal?: AbortSignal;
  timeoutMs?: number;
}): Promise<string[]> {
  try {
    return await listRunningOllamaModels(options);
  } catch {
    return [];
  }
}

/**
 * As `listOllamaModels`, but a server that does not answer (refused, timed out) throws
 * `ServerNotRunningError`, so the picker can tell "not running" from "no models pulled".
 */
export async function listRunningOllamaModels(options: {
  host: OllamaHost;
  signal?: AbortSignal;
  timeoutMs?: number;
}): Promise<string[]> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? LIST_MODELS_TIMEOUT_MS);
  const call = openOllamaCall({
    host: options.host,
    // The whole listing, body included, is bounded, not just the wait for headers.
    timeoutMs: null,
    signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    inspectBody: false,
  });
  try {
    const parsed = ollamaTagsSchema.safeParse(await call.client.list());
    if (!parsed.success) return [];
    const names = parsed.data.models
      .map((model) => model.name ?? model.model)
      .filter((name): name is string => typeof name === "string" && name !== "");
    return [...new Set(names)];
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ServerNotRunningError(options.host.url);
  } finally {
    call.dispose();
  }
}

export const ollamaProvider: ProviderDefinition = {
  ...providerInfo("ollama"),
  createModel: (modelId, options, context) =>
    new OllamaChatModel(modelId, options, context?.environment),
  configuration: (environment) => {
    const setting = resolveOllamaHostSetting({ environment });
    const host = parseOllamaHost(setting.value);
    if (!host) {
      return {
        configured: false,
        missing: [OLLAMA_HOST_VARIABLE],
        hint: `${OLLAMA_HOST_VARIABLE} is not a valid http(s) host`,
      };
    }
    // Always usable: the host has a default. Whether a server answers there is listModels' job.
    return {
      configured: true,
      missing: [],
      hint:
        setting.source === "environment"
          ? `Ollama at ${host.url} (from ${OLLAMA_HOST_VARIABLE})`
          : `Ollama at ${host.url} (default; set ${OLLAMA_HOST_VARIABLE} to change)`,
    };
  },
  listModels: async (options) => {
    const host = parseOllamaHost(
      resolveOllamaHostSetting({ environment: options?.environment }).value,
    );
    if (!host) return [];
    return listOllamaModels({ host, signal: options?.signal });
  },
  describeModels: async (options) => {
    const host = parseOllamaHost(
      resolveOllamaHostSetting({ environment: options?.environment }).value,
    );
    if (!host) return { models: [], problem: null };
    try {
      const models = await listRunningOllamaModels({ host, signal: options?.signal });
      return {
        models,
        problem: models.length === 0 ? "no models pulled (ollama pull <model>)" : null,
      };
    } catch (error) {
      if (error instanceof ServerNotRunningError) {
        return { models: [], problem: `not running at ${error.url}` };
      }
      throw error;
    }
  },
};
