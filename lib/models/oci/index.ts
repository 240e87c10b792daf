/**
 * OCI Generative AI (`oci:<model>`). Routing follows locus `_make_oci`: dedicated endpoints
 * (`ocid1.generativeaiendpoint.…`) and Cohere Command R (`cohere.command-r…`) use the native
 * chat API; every other model uses the OpenAI-compatible `/openai/v1`. Both sign each request
 * with oci-common and send `opc-compartment-id`.
 */

import { existsSync } from "node:fs";
import { processEnvironment } from "../environment";
import { knownModelIds } from "../metadata";
import type {
  Environment,
  ProviderConfiguration,
  ProviderDefinition,
} from "../provider-definition";
import { providerInfo } from "../providers";
import type { LanguageModel } from "../types";
import { OCI_AUTH_TYPES } from "./oci-auth";
import {
  DEFAULT_OCI_CONFIG_FILE,
  DEFAULT_OCI_PROFILE,
  expandHomeDirectory,
  lookupOciProfile,
} from "./oci-config-file";
import { OciConnection, type OciInternals } from "./oci-connection";
import { OciNativeChatModel } from "./oci-native-chat-model";
import { OciOpenAICompatibleModel } from "./oci-openai-model";
import { environmentCompartmentId, resolveOciSettings, usesNativeTransport } from "./oci-settings";

export { OciRequestSigner } from "./oci-auth";
export { OciConnection, type OciInternals } from "./oci-connection";
export { OciNativeChatModel } from "./oci-native-chat-model";
export { OciOpenAICompatibleModel } from "./oci-openai-model";
export { type OciModelOptions, usesNativeTransport } from "./oci-settings";
export { createOciSigningFetch } from "./oci-signing-fetch";

/**
 * Builds an OCI model. `internals` are test seams (transport, clocks) plus the environment,
 * the one the registry passes.
 */
export function createOciModel(
  modelId: string,
  options?: unknown,
  internals: OciInternals = {},
): LanguageModel {
  const environment = internals.environment ?? processEnvironment();
  const settings = resolveOciSettings({ options, environment });
  const connection = new OciConnection(settings, { ...internals, environment });
  return usesNativeTransport(modelId)
    ? new OciNativeChatModel({ modelId, connection, internals })
    : new OciOpenAICompatibleModel({ modelId, connection });
}

/** Reads only names and files, never a key: safe for the "not configured" view. */
export function ociConfiguration(
  environment: Environment = processEnvironment(),
): ProviderConfiguration {
  const authType = environment.OCI_AUTH_TYPE?.trim();
  if (authType) {
    if (!(OCI_AUTH_TYPES as readonly string[]).includes(authType)) {
      return {
        configured: false,
        missing: ["OCI_AUTH_TYPE"],
        hint: `OCI_AUTH_TYPE must be one of ${OCI_AUTH_TYPES.join(", ")}`,
      };
    }
    if (!environmentCompartmentId(environment)) {
      return {
        configured: false,
        missing: ["OCI_COMPARTMENT"],
        hint: `OCI_AUTH_TYPE=${authType} needs the compartment OCID in OCI_COMPARTMENT`,
      };
    }
    return { configured: true, missing: [] };
  }
  const configFile = environment.OCI_CONFIG_FILE?.trim() || DEFAULT_OCI_CONFIG_FILE;
  const profile = environment.OCI_PROFILE?.trim() || DEFAULT_OCI_PROFILE;
  if (!existsSync(expandHomeDirectory(configFile))) {
    return {
      configured: false,
      missing: ["OCI_CONFIG_FILE", "OCI_AUTH_TYPE"],
      hint: `no OCI config file at ${configFile} (run \`oci setup config\`), or set OCI_AUTH_TYPE for instance/resource principals`,
    };
  }
  const lookup = lookupOciProfile({ configFile, profile });
  if (lookup.status === "found") return { configured: true, missing: [] };
  return {
    configured: false,
    missing: lookup.status === "missing_profile" ? ["OCI_PROFILE"] : ["OCI_CONFIG_FILE"],
    hint:
      lookup.status === "missing_profile"
        ? `profile [${profile}] is not in ${configFile}`
        : `${configFile} could not be read`,
  };
}

/** OpenAI models OCI serves under the `openai.` namespace (through `/openai/v1`). */
const OCI_OPENAI_MODEL_IDS = [
  "openai.gpt-4.1",
  "openai.gpt-5",
  "openai.gpt-oss-120b",
  "openai.gpt-oss-20b",
];

export const ociProvider: ProviderDefinition = {
  ...providerInfo("oci"),
  createModel: (modelId, options, context) =>
    createOciModel(modelId, options, { environment: context?.environment }),
  configuration: ociConfiguration,
  listModels: async () =>
    [
      ...["cohere", "meta", "google", "xai"].flatMap((family) => knownModelIds(family)),
      ...OCI_OPENAI_MODEL_IDS,
    ].sort(),
};
