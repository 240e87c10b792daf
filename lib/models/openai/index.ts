import { z } from "zod";
import { parseModelOptions } from "../call-options";
import { processEnvironment } from "../environment";
import { knownModelIds } from "../metadata";
import type { ProviderDefinition } from "../provider-definition";
import { providerInfo } from "../providers";
import { OPENAI_API_KEY_VARIABLE, OpenAIChatModel, openAIApiKeyFrom } from "./openai-chat-model";

export { convertOpenAIUsage } from "./convert-openai-usage";
export { convertToOpenAIMessages } from "./convert-to-openai-messages";
export { mapOpenAIFinishReason } from "./map-openai-finish-reason";
export { OpenAIChatModel, type OpenAIChatModelSettings } from "./openai-chat-model";
export { toOpenAIProviderError } from "./openai-error";
export {
  isOpenAIReasoningModel,
  isOpenAISearchPreviewModel,
  normalizeOpenAIModelName,
} from "./openai-model-family";
export { buildOpenAIChatRequest, type OpenAIRequestShape } from "./openai-request";

/** What `getModel("openai:…", options)` accepts; anything else is rejected, not ignored. */
const openAIModelOptionsSchema = z.strictObject({
  apiKey: z.string().min(1).optional(),
  baseURL: z.url().optional(),
  organization: z.string().min(1).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().positive().optional(),
  defaultHeaders: z.record(z.string(), z.string()).optional(),
  fetch: z.custom<typeof fetch>((value) => typeof value === "function").optional(),
});

export type OpenAIModelOptions = z.infer<typeof openAIModelOptionsSchema>;

export const openaiProvider: ProviderDefinition = {
  ...providerInfo("openai"),
  createModel: (modelId, options, context) =>
    new OpenAIChatModel({
      ...parseModelOptions("openai", openAIModelOptionsSchema, options),
      provider: "openai",
      modelId,
      environment: context?.environment,
    }),
  configuration: (environment = processEnvironment()) => {
    const configured = openAIApiKeyFrom(environment) !== null;
    return { configured, missing: configured ? [] : [OPENAI_API_KEY_VARIABLE] };
  },
  listModels: async () => knownModelIds("openai"),
};
