/**
 * What `getModel("oci:…", options)` accepts and how options and the environment resolve to one
 * auth mode, a region, a service origin and a compartment (locus §3.4, §4).
 */

import { z } from "zod";
import { parseModelOptions } from "../call-options";
import { InvalidOptionsError, NotConfiguredError } from "../errors";
import type { Environment } from "../provider-definition";
import {
  type InstancePrincipalEndpoints,
  OCI_AUTH_TYPES,
  type OciAuthSettings,
  type OciAuthType,
} from "./oci-auth";
import {
  DEFAULT_OCI_CONFIG_FILE,
  DEFAULT_OCI_PROFILE,
  lookupOciProfile,
  type OciProfile,
} from "./oci-config-file";

export const DEFAULT_OCI_REGION = "us-chicago-1";
export const OCI_OPENAI_COMPATIBLE_PATH = "/openai/v1";
export const OCI_NATIVE_CHAT_PATH = "/20231130/actions/chat";

export const ociModelOptionsSchema = z.strictObject({
  /** A profile of the config file (API key or session token). */
  profile: z.string().trim().min(1).optional(),
  /** Instead of a profile: `instance_principal` or `resource_principal` (needs a compartment). */
  authType: z.string().optional(),
  configFile: z.string().trim().min(1).optional(),
  compartmentId: z.string().trim().min(1).optional(),
  region: z.string().trim().min(1).optional(),
  /** The service origin; `/openai/v1` or `/20231130/actions/chat` is appended. */
  baseURL: z.url().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export type OciModelOptions = z.infer<typeof ociModelOptionsSchema>;

/** Says what the two modes are; names only modes we accept (locus also advertised others). */
export const AUTH_MODE_MESSAGE =
  "specify exactly one auth mode: profile (a profile of ~/.oci/config, default DEFAULT) " +
  "or authType (instance_principal or resource_principal, together with compartment_id / compartmentId)";

export interface OciSettings {
  auth: OciAuthSettings;
  explicitCompartmentId: string | null;
  explicitRegion: string | null;
  explicitBaseURL: string | null;
  maxRetries: number | undefined;
  timeoutMs: number | undefined;
  /** An environment problem found while resolving; calls report it as `not_configured`. */
  configurationProblem: NotConfiguredError | null;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function isAuthType(value: string): value is OciAuthType {
  return (OCI_AUTH_TYPES as readonly string[]).includes(value);
}

export function environmentCompartmentId(environment: Environment): string | null {
  return nonEmpty(environment.OCI_COMPARTMENT) ?? nonEmpty(environment.OCI_COMPARTMENT_ID);
}

/**
 * Validates options (unknown keys throw) and picks the auth mode: an explicit `profile` or
 * `authType`; else `OCI_AUTH_TYPE`; else the profile `OCI_PROFILE` (when non-empty) or DEFAULT.
 * Mistakes in options throw `InvalidOptionsError`; mistakes in the environment are kept as
 * `configurationProblem` so one bad variable never breaks the other providers.
 */
export function resolveOciSettings({
  options,
  environment,
}: {
  options: unknown;
  environment: Environment;
}): OciSettings {
  const parsed = parseModelOptions("oci", ociModelOptionsSchema, options);
  if (parsed.profile !== undefined && parsed.authType !== undefined) {
    throw new InvalidOptionsError(`invalid options for oci: ${AUTH_MODE_MESSAGE}`);
  }
  const configFile =
    parsed.configFile ?? nonEmpty(environment.OCI_CONFIG_FILE) ?? DEFAULT_OCI_CONFIG_FILE;
  const base = {
    explicitCompartmentId: parsed.compartmentId ?? null,
    explicitRegion: parsed.region ?? null,
    explicitBaseURL: parsed.baseURL ?? null,
    maxRetries: parsed.maxRetries,
    timeoutMs: parsed.timeoutMs,
  };

  if (parsed.authType !== undefined) {
    const authType = parsed.authType.trim();
    if (!isAuthType(authType)) {
      throw new InvalidOptionsError(
        `invalid options for oci: authType must be one of (${OCI_AUTH_TYPES.join(", ")}), got '${parsed.authType}'`,
      );
    }
    // Principals have no profile to take a tenancy from (checked before any file is read).
    if (!parsed.compartmentId && !environmentCompartmentId(environment)) {
      throw new InvalidOptionsError(
        "invalid options for oci: compartmentId is required when authType is set (or set OCI_COMPARTMENT)",
      );
    }
    return { ...base, auth: { mode: authType }, configurationProblem: null };
  }
  if (parsed.profile !== undefined) {
    return {
      ...base,
      auth: { mode: "profile", configFile, profile: parsed.profile },
      configurationProblem: null,
    };
  }

  const environmentAuthType = nonEmpty(environment.OCI_AUTH_TYPE);
  if (environmentAuthType !== null) {
    if (!isAuthType(environmentAuthType)) {
      return {
        ...base,
        auth: { mode: "instance_principal" },
        configurationProblem: new NotConfiguredError({
          provider: "oci",
          missing: ["OCI_AUTH_TYPE"],
          hint: `OCI_AUTH_TYPE must be one of ${OCI_AUTH_TYPES.join(", ")}`,
        }),
      };
    }
    const missingCompartment =
      !parsed.compartmentId && !environmentCompartmentId(environment)
        ? new NotConfiguredError({
            provider: "oci",
            missing: ["OCI_COMPARTMENT"],
            hint: `OCI_AUTH_TYPE=${environmentAuthType} needs a compartment OCID`,
          })
        : null;
    return {
      ...base,
      auth: { mode: environmentAuthType },
      configurationProblem: missingCompartment,
    };
  }

  const profile = nonEmpty(environment.OCI_PROFILE) ?? DEFAULT_OCI_PROFILE;
  return { ...base, auth: { mode: "profile", configFile, profile }, configurationProblem: null };
}

/** `option → OCI_REGION → the profile's region → us-chicago-1`. */
export function resolveRegion({
  explicitRegion,
  environment,
  profileRegion,
}: {
  explicitRegion: string | null;
  environment: Environment;
  profileRegion: () => string | null;
}): string {
  return (
    explicitRegion ?? nonEmpty(environment.OCI_REGION) ?? profileRegion() ?? DEFAULT_OCI_REGION
  );
}

/** `option → OCI_GENAI_BASE_URL → https://inference.generativeai.{region}.oci.oraclecloud.com`. */
export function resolveServiceOrigin({
  explicitBaseURL,
  environment,
  region,
}: {
  explicitBaseURL: string | null;
  environment: Environment;
  region: () => string;
}): string {
  const configured = explicitBaseURL ?? nonEmpty(environment.OCI_GENAI_BASE_URL);
  if (configured === null) return `https://inference.generativeai.${region()}.oci.oraclecloud.com`;
  // Accept an origin that already names an API path (locus took the full `/openai/v1` URL).
  let origin = configured.replace(/\/+$/, "");
  for (const suffix of [OCI_OPENAI_COMPATIBLE_PATH, OCI_NATIVE_CHAT_PATH]) {
    if (origin.endsWith(suffix)) origin = origin.slice(0, -suffix.length);
  }
  return origin;
}

/**
 * `explicit → OCI_COMPARTMENT → OCI_COMPARTMENT_ID → the profile's tenancy`. The profile is read
 * only when nothing else names a compartment, and a profile that cannot be read gives `null`
 * (no `opc-compartment-id` header), as in locus.
 */
export function resolveCompartmentId({
  explicitCompartmentId,
  environment,
  profileTenancy,
}: {
  explicitCompartmentId: string | null;
  environment: Environment;
  profileTenancy: (() => string | null) | null;
}): string | null {
  const named = explicitCompartmentId ?? environmentCompartmentId(environment);
  if (named !== null) return named;
  if (!profileTenancy) return null;
  try {
    return profileTenancy();
  } catch {
    return null;
  }
}

/**
 * `OCI_METADATA_BASE_URL` and `OCI_FEDERATION_ENDPOINT` point instance principals elsewhere
 * than the link-local metadata service and the auth service oci-common derives from the
 * instance's region: for realms oci-common does not know, a proxied metadata service, tests.
 */
export function resolveInstancePrincipalEndpoints(
  environment: Environment,
): InstancePrincipalEndpoints {
  return {
    metadataBaseUrl: nonEmpty(environment.OCI_METADATA_BASE_URL),
    // oci-common appends `/v1/x509` itself.
    federationEndpoint: nonEmpty(environment.OCI_FEDERATION_ENDPOINT)?.replace(/\/+$/, "") ?? null,
  };
}

/** Reads the profile's fields for region and tenancy; `null` when there is no such profile. */
export function profileOrNull(auth: OciAuthSettings): OciProfile | null {
  if (auth.mode !== "profile") return null;
  const lookup = lookupOciProfile({ configFile: auth.configFile, profile: auth.profile });
  return lookup.status === "found" ? lookup.profile : null;
}

/** Routing (locus `_make_oci`): DAC endpoints and Cohere Command R use the native chat API. */
export function usesNativeTransport(modelId: string): boolean {
  const lower = modelId.trim().toLowerCase();
  return lower.startsWith("ocid1.generativeaiendpoint.") || lower.startsWith("cohere.command-r");
}
