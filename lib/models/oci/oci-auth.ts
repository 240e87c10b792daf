/**
 * OCI credentials and the request signer built on oci-common's `DefaultRequestSigner`.
 *
 * Four modes (locus §4): an API-key profile, a session-token profile (`security_token_file`,
 * keyId `ST$<token>`), instance principals and resource principals. Token-based signers refresh
 * every 600 s and on demand after a 401; API-key signers never do. A failed refresh is recorded
 * in `lastRefreshError`, never thrown: the old credentials keep signing until they expire.
 */
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AuthenticationDetailsProvider, HttpRequest, RequestSigner } from "oci-common";
import { NotConfiguredError, ProviderError } from "../errors";
import { redactSecrets, registerSecret } from "../secrets";
import { expandHomeDirectory, type OciProfile } from "./oci-config-file";

export type OciCredentialKind =
  | "api_key"
  | "session_token"
  | "instance_principal"
  | "resource_principal";

export const OCI_AUTH_TYPES = ["instance_principal", "resource_principal"] as const;
export type OciAuthType = (typeof OCI_AUTH_TYPES)[number];

/** Token lifetimes are an hour or less; locus refreshes on this interval. */
export const OCI_REFRESH_INTERVAL_MS = 600_000;

export interface OciRequestSignerOptions {
  kind: OciCredentialKind;
  signer: RequestSigner;
  /** Loads fresh credentials and returns the signer to use from now on; absent for API keys. */
  reload?: () => Promise<RequestSigner>;
  refreshIntervalMs?: number;
  now?: () => number;
}

export class OciRequestSigner {
  readonly kind: OciCredentialKind;
  /** The last refresh failure (redacted), cleared by the next successful refresh. */
  lastRefreshError: Error | null = null;
  private signer: RequestSigner;
  private readonly reload: (() => Promise<RequestSigner>) | null;
  private readonly refreshIntervalMs: number;
  private readonly now: () => number;
  private lastRefreshAt: number;
  private refreshing: Promise<boolean> | null = null;

  constructor(options: OciRequestSignerOptions) {
    this.kind = options.kind;
    this.signer = options.signer;
    this.reload = options.reload ?? null;
    this.refreshIntervalMs = options.refreshIntervalMs ?? OCI_REFRESH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    // The clock starts at construction, as in locus.
    this.lastRefreshAt = this.now();
  }

  get refreshable(): boolean {
    return this.reload !== null;
  }

  /** Signs in place: adds `authorization`, `x-date`, `host` and, for bodies, the digest headers. */
  async sign(request: HttpRequest): Promise<void> {
    if (this.reload && this.now() - this.lastRefreshAt >= this.refreshIntervalMs) {
      await this.refresh();
    }
    await this.signer.signHttpRequest(request);
  }

  /** Reloads the credentials; `false` (and `lastRefreshError`) when that failed or is impossible. */
  refresh(): Promise<boolean> {
    const reload = this.reload;
    if (!reload) return Promise.resolve(false);
    // Concurrent requests share one refresh instead of each hitting IMDS or the disk.
    this.refreshing ??= (async () => {
      try {
        this.signer = await reload();
        this.lastRefreshError = null;
        return true;
      } catch (error) {
        this.lastRefreshError = new Error(
          redactSecrets(`OCI credential refresh failed: ${describeError(error)}`),
        );
        console.warn(this.lastRefreshError.message);
        return false;
      } finally {
        // Also after a failure, so a broken token file is not re-read on every request.
        this.lastRefreshAt = this.now();
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

/** The authentication modes a model can be configured with. */
export type OciAuthSettings =
  | { mode: "profile"; configFile: string; profile: string }
  | { mode: OciAuthType };

/** Where instance principals get their identity; `null` keeps oci-common's default. */
export interface InstancePrincipalEndpoints {
  /** The instance metadata service (`OCI_METADATA_BASE_URL`), default `http://169.254.169.254/opc/v2/`. */
  metadataBaseUrl: string | null;
  /**
   * The auth service origin (`OCI_FEDERATION_ENDPOINT`); `/v1/x509` is appended. By default
   * oci-common derives `https://auth.{region}.{realm domain}` from the instance's region.
   */
  federationEndpoint: string | null;
}

export interface CreateSignerOptions {
  refreshIntervalMs?: number;
  now?: () => number;
  instancePrincipal?: InstancePrincipalEndpoints;
}

/**
 * The message of anything thrown. oci-common rejects a failed token request with a plain
 * `{ code, message }` object, which `String()` would turn into "[object Object]".
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    const { message } = error;
    if (typeof message === "string" && message) return message;
  }
  return String(error);
}

type OciCommon = typeof import("oci-common");

/** oci-common pulls in a large dependency tree; load it only when a request is signed. */
async function loadOciCommon(): Promise<OciCommon> {
  return import("oci-common");
}

function notConfigured(missing: string[], hint: string): NotConfiguredError {
  return new NotConfiguredError({ provider: "oci", missing, hint });
}

function readTextFile(filePath: string, describe: string, missing: string[]): string {
  try {
    return readFileSync(expandHomeDirectory(filePath), "utf8");
  } catch {
    throw notConfigured(missing, `${describe} could not be read`);
  }
}

/**
 * Decrypts the key with node:crypto and hands oci-common an unencrypted PKCS#8 PEM. sshpk,
 * which oci-common uses, reports a wrong pass phrase from an asynchronous stream event that
 * escapes every try/catch and would take the whole server down.
 */
function loadPrivateKey(profile: OciProfile): string {
  if (!profile.keyFile) {
    throw notConfigured(["OCI_PROFILE"], `profile [${profile.name}] has no key_file`);
  }
  const pem = readTextFile(profile.keyFile, `key_file of profile [${profile.name}]`, [
    "OCI_PROFILE",
  ]);
  registerSecret(profile.passPhrase);
  try {
    const key = createPrivateKey({
      key: pem,
      format: "pem",
      ...(profile.passPhrase ? { passphrase: profile.passPhrase } : {}),
    });
    return key.export({ type: "pkcs8", format: "pem" }).toString();
  } catch {
    // node's message may quote the key material; ours says only what to check.
    throw new ProviderError({
      provider: "oci",
      kind: "auth",
      detail: `the private key of profile [${profile.name}] could not be loaded (is pass_phrase right?)`,
    });
  }
}

/** Throws when the profile lacks any of the given config keys (`["key_file", profile.keyFile]`). */
function requireFields(
  profile: OciProfile,
  fields: Array<[key: string, value: string | null]>,
): void {
  const absent = fields.filter(([, value]) => !value).map(([key]) => key);
  if (absent.length > 0) {
    throw notConfigured(
      ["OCI_PROFILE"],
      `profile [${profile.name}] in ${profile.configFile} lacks ${absent.join(", ")}`,
    );
  }
}

function sessionTokenProvider(token: string, privateKey: string): AuthenticationDetailsProvider {
  return {
    getKeyId: async () => `ST$${token}`,
    getPrivateKey: () => privateKey,
    getPassphrase: () => null,
  };
}

async function createSessionTokenSigner(profile: OciProfile): Promise<RequestSigner> {
  const { DefaultRequestSigner } = await loadOciCommon();
  requireFields(profile, [
    ["security_token_file", profile.securityTokenFile],
    ["key_file", profile.keyFile],
  ]);
  const token = readTextFile(
    profile.securityTokenFile ?? "",
    `security_token_file of profile [${profile.name}]`,
    ["OCI_PROFILE"],
  ).trim();
  if (!token) {
    throw notConfigured(
      ["OCI_PROFILE"],
      `the security token of profile [${profile.name}] is empty; run \`oci session authenticate\``,
    );
  }
  registerSecret(token);
  return new DefaultRequestSigner(sessionTokenProvider(token, loadPrivateKey(profile)));
}

async function createApiKeySigner(profile: OciProfile): Promise<RequestSigner> {
  const { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } = await loadOciCommon();
  requireFields(profile, [
    ["tenancy", profile.tenancy],
    ["user", profile.user],
    ["fingerprint", profile.fingerprint],
    ["key_file", profile.keyFile],
  ]);
  const provider = new SimpleAuthenticationDetailsProvider(
    profile.tenancy ?? "",
    profile.user ?? "",
    profile.fingerprint ?? "",
    loadPrivateKey(profile),
    null,
  );
  return new DefaultRequestSigner(provider);
}

/**
 * Builds the signer for a profile (`loadProfile` is called again on every session-token
 * refresh, so a renewed `oci session authenticate` is picked up) or for a principal.
 */
export async function createOciRequestSigner(
  options: {
    auth: OciAuthSettings;
    loadProfile: () => OciProfile;
  } & CreateSignerOptions,
): Promise<OciRequestSigner> {
  const { auth, refreshIntervalMs, now } = options;
  if (auth.mode === "profile") {
    const profile = options.loadProfile();
    if (profile.securityTokenFile) {
      return new OciRequestSigner({
        kind: "session_token",
        signer: await createSessionTokenSigner(profile),
        reload: () => createSessionTokenSigner(options.loadProfile()),
        refreshIntervalMs,
        now,
      });
    }
    return new OciRequestSigner({
      kind: "api_key",
      signer: await createApiKeySigner(profile),
      refreshIntervalMs,
      now,
    });
  }
  const common = await loadOciCommon();
  let provider: AuthenticationDetailsProvider & { refresh: () => Promise<unknown> };
  try {
    provider =
      auth.mode === "instance_principal"
        ? await buildInstancePrincipalProvider(common, options.instancePrincipal)
        : common.ResourcePrincipalAuthenticationDetailsProvider.builder();
    // Fetch the first token now: a failure then reports as an auth error of this model instead
    // of a transport error the OpenAI SDK would retry, and the token is known for redaction.
    registerSessionToken(await provider.getKeyId());
  } catch (error) {
    throw new Error(`${auth.mode}: ${describeError(error)}`, { cause: error });
  }
  // The signer re-reads the provider's key on every request, so refreshing the provider is enough.
  const signer = new common.DefaultRequestSigner(provider);
  return new OciRequestSigner({
    kind: auth.mode,
    signer,
    reload: async () => {
      registerSecret(String(await provider.refresh()));
      return signer;
    },
    refreshIntervalMs,
    now,
  });
}

function registerSessionToken(keyId: string): void {
  registerSecret(keyId.startsWith("ST$") ? keyId.slice("ST$".length) : keyId);
}

async function buildInstancePrincipalProvider(
  common: OciCommon,
  endpoints: InstancePrincipalEndpoints | undefined,
) {
  const builder = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder();
  if (endpoints?.metadataBaseUrl) builder.metadataBaseUrl = endpoints.metadataBaseUrl;
  if (endpoints?.federationEndpoint) builder.federationEndpoint = endpoints.federationEndpoint;
  return builder.build();
}
