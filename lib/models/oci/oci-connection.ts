/**
 * Everything a model needs to reach OCI, resolved lazily once per model: the service origin,
 * the compartment, and a signing `fetch`. Shared by the OpenAI-compatible and native paths.
 */

import { processEnvironment } from "../environment";
import { NotConfiguredError, ProviderError } from "../errors";
import type { Environment } from "../provider-definition";
import { createOciRequestSigner, describeError, type OciRequestSigner } from "./oci-auth";
import { type OciProfile, readOciProfile } from "./oci-config-file";
import {
  type OciSettings,
  profileOrNull,
  resolveCompartmentId,
  resolveInstancePrincipalEndpoints,
  resolveRegion,
  resolveServiceOrigin,
} from "./oci-settings";
import { createOciSigningFetch } from "./oci-signing-fetch";

/** Seams for tests; `getModel` never passes them. */
export interface OciInternals {
  environment?: Environment;
  /** The transport under the signer. */
  fetch?: typeof fetch;
  /** Clock of the token refresh interval. */
  now?: () => number;
  refreshIntervalMs?: number;
  /** Waits between native retries and empty-reply attempts. */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Delays before the 2nd and 3rd attempt when a native reply is empty (default 500, 1000). */
  emptyReplyDelaysMs?: number[];
  /** Backoff before native retry `attempt` (1-based) when the server sent no retry-after. */
  retryDelayMs?: (attempt: number) => number;
}

export interface OciConnectionReady {
  fetch: typeof fetch;
  signer: OciRequestSigner;
}

/** Any failure to obtain credentials, as the error a call reports. */
export function toConfigurationError(error: unknown): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  if (error instanceof NotConfiguredError) {
    return new ProviderError({
      provider: "oci",
      kind: "not_configured",
      detail: error.message,
      cause: error,
    });
  }
  return new ProviderError({
    provider: "oci",
    kind: "auth",
    detail: `could not obtain OCI credentials: ${describeError(error)}`,
    cause: error,
  });
}

export class OciConnection {
  readonly settings: OciSettings;
  readonly environment: Environment;
  private readonly internals: OciInternals;
  private profileRead: { profile: OciProfile | null } | null = null;
  private ready: Promise<OciConnectionReady> | null = null;

  constructor(settings: OciSettings, internals: OciInternals = {}) {
    this.settings = settings;
    this.internals = internals;
    this.environment = internals.environment ?? processEnvironment();
  }

  /** The profile's plain fields (region, tenancy), read at most once; `null` if unreadable. */
  private profile(): OciProfile | null {
    this.profileRead ??= { profile: profileOrNull(this.settings.auth) };
    return this.profileRead.profile;
  }

  get region(): string {
    return resolveRegion({
      explicitRegion: this.settings.explicitRegion,
      environment: this.environment,
      profileRegion: () => this.profile()?.region ?? null,
    });
  }

  get serviceOrigin(): string {
    return resolveServiceOrigin({
      explicitBaseURL: this.settings.explicitBaseURL,
      environment: this.environment,
      region: () => this.region,
    });
  }

  get compartmentId(): string | null {
    return resolveCompartmentId({
      explicitCompartmentId: this.settings.explicitCompartmentId,
      environment: this.environment,
      profileTenancy:
        this.settings.auth.mode === "profile" ? () => this.profile()?.tenancy ?? null : null,
    });
  }

  /** Builds the signer once; throws `ProviderError` (`not_configured`, `auth`) on failure. */
  async connect(): Promise<OciConnectionReady> {
    if (this.settings.configurationProblem) {
      throw toConfigurationError(this.settings.configurationProblem);
    }
    this.ready ??= this.createReady().catch((error: unknown) => {
      // Not cached: a person may fix the config file while the server runs.
      this.ready = null;
      throw toConfigurationError(error);
    });
    return this.ready;
  }

  private async createReady(): Promise<OciConnectionReady> {
    const { auth } = this.settings;
    const signer = await createOciRequestSigner({
      auth,
      loadProfile: () => {
        if (auth.mode !== "profile") throw new Error("principals have no profile");
        return readOciProfile({ configFile: auth.configFile, profile: auth.profile });
      },
      refreshIntervalMs: this.internals.refreshIntervalMs,
      now: this.internals.now,
      instancePrincipal: resolveInstancePrincipalEndpoints(this.environment),
    });
    const fetch = createOciSigningFetch({
      signer,
      compartmentId: this.compartmentId,
      fetch: this.internals.fetch,
    });
    return { fetch, signer };
  }
}
