export { collectStream } from "./collect-stream";
export {
  InvalidOptionsError,
  ModelStringError,
  NotConfiguredError,
  ProviderError,
  type ProviderErrorKind,
} from "./errors";
export { getModelMetadata, type ModelMetadata } from "./metadata";
export type { ProviderConfiguration, ProviderDefinition } from "./provider-definition";
export { getModel, getProvider, listProviders, parseModelString } from "./registry";
export type * from "./types";
