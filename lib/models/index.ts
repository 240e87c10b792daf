export { collectStream } from "./collect-stream";
export {
  InvalidOptionsError,
  ModelStringError,
  NotConfiguredError,
  ProviderError,
  type ProviderErrorKind,
} from "./errors";
export { getModelMetadata, type ModelMetadata } from "./metadata";
export type {
  Environment,
  ProviderConfiguration,
  ProviderContext,
  ProviderDefinition,
} from "./provider-definition";
export { isLocalProvider, LOCAL_PROVIDERS, PROVIDER_IDS, PROVIDERS } from "./providers";
export { getModel, getProvider, listProviders, parseModelString } from "./registry";
export type * from "./types";
