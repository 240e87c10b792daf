/**
 * Test support for the OCI adapter: a throw-away RSA key pair, OCI config files, and a
 * signature verifier that checks a recorded request the way OCI's server would — from the
 * `authorization` header's own header list, against the public key and the exact body bytes.
 */
import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RecordedRequest } from "@/test/support/fake-http-server";

export interface TestKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

const keyPairs = new Map<string, TestKeyPair>();

/**
 * RSA 2048 (what `oci setup keys` makes); optionally encrypted with a pass phrase. Generated
 * once per pass phrase and test file: key generation is the slowest part of these tests.
 */
export function createTestKeyPair(passPhrase?: string): TestKeyPair {
  const cached = keyPairs.get(passPhrase ?? "");
  if (cached) return cached;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: passPhrase
      ? { type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: passPhrase }
      : { type: "pkcs8", format: "pem" },
  });
  const pair = { privateKeyPem: privateKey, publicKeyPem: publicKey };
  keyPairs.set(passPhrase ?? "", pair);
  return pair;
}

export const TEST_TENANCY = "ocid1.tenancy.oc1..aaaatesttenancy";
export const TEST_USER = "ocid1.user.oc1..aaaatestuser";
export const TEST_FINGERPRINT = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0";

export interface TestOciFiles {
  directory: string;
  configFile: string;
  keyFile: string;
  tokenFile: string;
  keys: TestKeyPair;
  writeToken: (token: string) => void;
  writeConfig: (content: string) => void;
  remove: () => void;
}

/**
 * A temporary `config` with `[DEFAULT]` (API key), `[SESSION]` (security token) and whatever
 * `extraProfiles` adds, plus the key and token files they point at.
 */
export function createTestOciFiles(
  options: { passPhrase?: string; region?: string | null; extraProfiles?: string } = {},
): TestOciFiles {
  const directory = mkdtempSync(path.join(tmpdir(), "oci-test-"));
  const keys = createTestKeyPair(options.passPhrase);
  const keyFile = path.join(directory, "oci_api_key.pem");
  const tokenFile = path.join(directory, "token");
  const configFile = path.join(directory, "config");
  writeFileSync(keyFile, keys.privateKeyPem);
  writeFileSync(tokenFile, "session-token-one\n");
  const region = options.region === undefined ? "eu-frankfurt-1" : options.region;
  const lines = [
    "[DEFAULT]",
    `user=${TEST_USER}`,
    `fingerprint=${TEST_FINGERPRINT}`,
    `tenancy=${TEST_TENANCY}`,
    `key_file=${keyFile}`,
    ...(options.passPhrase ? [`pass_phrase=${options.passPhrase}`] : []),
    ...(region ? [`region=${region}`] : []),
    "",
    "[SESSION]",
    `fingerprint=${TEST_FINGERPRINT}`,
    `key_file=${keyFile}`,
    `tenancy=${TEST_TENANCY}`,
    `security_token_file=${tokenFile}`,
    "",
    options.extraProfiles ?? "",
  ];
  writeFileSync(configFile, lines.join("\n"));
  return {
    directory,
    configFile,
    keyFile,
    tokenFile,
    keys,
    writeToken: (token) => writeFileSync(tokenFile, token),
    writeConfig: (content) => writeFileSync(configFile, content),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

export interface SignatureCheck {
  ok: boolean;
  /** Why verification failed, for assertion messages. */
  problems: string[];
  keyId: string | null;
  signedHeaders: string[];
}

/** Parses `Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"`. */
export function parseSignatureHeader(value: string): Record<string, string> | null {
  if (!value.startsWith("Signature ")) return null;
  const fields: Record<string, string> = {};
  for (const match of value.slice("Signature ".length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) fields[match[1]] = match[2];
  }
  return fields;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * Verifies an OCI HTTP signature (draft-cavage-08 as OCI uses it) structurally: rebuilds the
 * signing string from the listed headers, checks RSA-SHA256 with the public key, the body
 * digest and length against the bytes received, the required header set, and the keyId form.
 */
export function verifyOciSignature(
  request: RecordedRequest,
  {
    publicKeyPem,
    expectedKeyId,
  }: { publicKeyPem: string; expectedKeyId?: string | ((keyId: string) => boolean) },
): SignatureCheck {
  const problems: string[] = [];
  const authorization = header(request, "authorization");
  const fields = authorization ? parseSignatureHeader(authorization) : null;
  if (!fields) {
    return { ok: false, problems: ["no Signature authorization"], keyId: null, signedHeaders: [] };
  }
  const signedHeaders = (fields.headers ?? "").toLowerCase().split(" ").filter(Boolean);
  if (fields.algorithm !== "rsa-sha256") problems.push(`algorithm ${fields.algorithm}`);
  if (fields.version !== undefined && fields.version !== "1") problems.push("version");

  const method = request.method.toUpperCase();
  const required = ["(request-target)", "host"];
  if (["POST", "PUT", "PATCH"].includes(method)) {
    required.push("content-length", "content-type", "x-content-sha256");
  }
  for (const name of required) {
    if (!signedHeaders.includes(name)) problems.push(`${name} is not signed`);
  }
  if (!signedHeaders.includes("date") && !signedHeaders.includes("x-date")) {
    problems.push("neither date nor x-date is signed");
  }

  const lines: string[] = [];
  for (const name of signedHeaders) {
    if (name === "(request-target)") {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${request.url}`);
      continue;
    }
    const value = header(request, name);
    if (value === undefined) problems.push(`signed header ${name} missing from the request`);
    lines.push(`${name}: ${value ?? ""}`);
  }
  const signature = Buffer.from(fields.signature ?? "", "base64");
  const valid = verify(
    "sha256",
    Buffer.from(lines.join("\n"), "utf8"),
    createPublicKey(publicKeyPem),
    signature,
  );
  if (!valid) problems.push("RSA-SHA256 signature does not verify");

  if (["POST", "PUT", "PATCH"].includes(method)) {
    const digest = createHash("sha256").update(request.body).digest("base64");
    if (header(request, "x-content-sha256") !== digest) {
      problems.push("x-content-sha256 is not the digest of the body received");
    }
    if (header(request, "content-length") !== String(request.body.length)) {
      problems.push("content-length is not the length of the body received");
    }
  }

  const keyId = fields.keyId ?? null;
  if (expectedKeyId !== undefined) {
    const matches =
      typeof expectedKeyId === "function"
        ? keyId !== null && expectedKeyId(keyId)
        : keyId === expectedKeyId;
    if (!matches) problems.push(`unexpected keyId ${keyId}`);
  }
  return { ok: problems.length === 0, problems, keyId, signedHeaders };
}

export const API_KEY_ID = `${TEST_TENANCY}/${TEST_USER}/${TEST_FINGERPRINT}`;

/** A copy of a recorded request with other body bytes (to prove the verifier can fail). */
export function withBody(request: RecordedRequest, body: string): RecordedRequest {
  const bytes = Buffer.from(body, "utf8");
  return { ...request, body: bytes, text: body, json: () => JSON.parse(body) };
}
