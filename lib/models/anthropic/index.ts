import { parseModelOptions } from "../call-options";
import { processEnvironment } from "../environment";
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
  createModel: (modelId, options, context) =>
    new AnthropicMessagesModel(
      modelId,
      parseModelOptions("anthropic", anthropicModelOptionsSchema, options),
      context?.environment,
    ),
  configuration: (environment = processEnvironment()) =>
    environment[ANTHROPIC_API_KEY_VARIABLE]?.trim()
      ? { configured: true, missing: [] }
      : { configured: false, missing: [ANTHROPIC_API_KEY_VARIABLE] },
  listModels: async () => knownModelIds("anthropic"),
};
