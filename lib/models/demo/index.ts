import type { ProviderDefinition } from "../provider-definition";
import { providerInfo } from "../providers";
import { DEMO_MODEL_IDS, DemoModel } from "./demo-model";

export { DemoModel, demoAnswer, estimateTokens } from "./demo-model";

export const demoProvider: ProviderDefinition = {
  ...providerInfo("demo"),
  createModel: (modelId, options) => new DemoModel(modelId, options),
  configuration: () => ({ configured: true, missing: [] }),
  listModels: async () => [...DEMO_MODEL_IDS],
};
