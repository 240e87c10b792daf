import { parseModelOptions } from "../call-options";
import { knownModelIds } from "../metadata";
import type { ProviderDefinition } from "../provider-definition";
import { providerInfo } from "../providers";
import {
  ANTHROPIC_API_KEY_VARIABLE,
  AnthropicMessagesModel,
  anthropicModelOptionsSchema,
} from "./anthropic-messages-model";

export {
  AnthropicMessagesModel,
  type AnthropicModelOptions,
  anthropicModelOptionsSchema,
} from "./anthropic-messages-model";

export const anthropicProvider: ProviderDefinition = {
  ...providerInfo("anthropic"),
  createModel: (modelId, options) =>
    new AnthropicMessagesModel(
      modelId,
      parseModelOptions("anthropic", anthropicModelOptionsSchema, options),
    ),
  configuration: (environment = process.env) =>
    environment[ANTHROPIC_API_KEY_VARIABLE]?.trim()
      ? { configured: true, missing: [] }
      : { configured: false, missing: [ANTHROPIC_API_KEY_VARIABLE] },
  listModels: async () => knownModelIds("anthropic"),
};
