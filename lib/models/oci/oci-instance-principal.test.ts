/**
 * Instance principals end to end on 127.0.0.1: a fake instance metadata service hands out a leaf
 * certificate and key, a fake auth service checks the X.509 federation request the way OCI does
 * (signed by the leaf key, keyId `{tenancy}/fed-x509/{fingerprint}`) and returns a session
 * token, and the chat request must be signed `ST$<token>` with the session key it received.
 */
import { createPublicKey, X509Certificate } from "node:crypto";
import type { ServerResponse } from "node:http";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
  writeJson,
} from "@/test/support/fake-http-server";
import {
  createInstanceIdentity,
  type InstanceIdentity,
} from "@/test/support/oci/oci-test-certificate";
import { verifyOciSignature } from "@/test/support/oci/oci-test-support";
import { loadFixture, replay } from "@/test/support/wire/replay";
import { collectStream } from "../collect-stream";
import { ProviderError } from "../errors";
import { getModel } from "../registry";
import { redactSecrets } from "../secrets";
import type { StreamEvent } from "../types";

const TENANCY = "ocid1.tenancy.oc1..aaaainstancetenancy";
const COMPARTMENT = "ocid1.compartment.oc1..aaaainstancecompartment";
const MODEL = "meta.llama-3.3-70b-instruct";

let tokensIssued = 0;

/** A JWT whose claims oci-common reads (it checks `exp`, never the signature); unique per call. */
function sessionToken(subject: string): string {
  tokensIssued += 1;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = {
    sub: subject,
    jti: `token-${tokensIssued}`,
    exp: Math.round(Date.now() / 1000) + 3600,
  };
  return `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}

const federationBodySchema = z.strictObject({
  certificate: z.string(),
  publicKey: z.string(),
  purpose: z.string(),
  intermediateCertificates: z.array(z.string()),
});

interface FederationExchange {
  request: RecordedRequest;
  /** The session public key the instance asked the token to be bound to. */
  sessionPublicKeyPem: string;
  token: string;
}

let identity: InstanceIdentity;
let leafKeyId: string;
let metadata: FakeServer;
let federation: FakeServer;
let genai: FakeServer;
let exchanges: FederationExchange[];
let federationProblems: string[];

beforeAll(() => {
  identity = createInstanceIdentity(TENANCY);
  // What OCI's auth service expects: the tenancy from the certificate subject and the SHA-1
  // fingerprint of the certificate, computed here by node, independently of oci-common.
  const fingerprint = new X509Certificate(identity.leaf.pem).fingerprint.toLowerCase();
  leafKeyId = `${TENANCY}/fed-x509/${fingerprint}`;
});

function serveMetadata(request: RecordedRequest, response: ServerResponse): void {
  if (request.headers.authorization !== "Bearer Oracle") {
    writeJson(response, 401, { code: "NotAuthenticated" });
    return;
  }
  const files: Record<string, string> = {
    "/opc/v2/instance/region": "us-chicago-1",
    "/opc/v2/identity/cert.pem": identity.leaf.pem,
    "/opc/v2/identity/key.pem": identity.leaf.privateKeyPem,
    "/opc/v2/identity/intermediate.pem": identity.intermediate.pem,
  };
  const content = files[request.url];
  response.writeHead(content === undefined ? 404 : 200, { "content-type": "text/plain" });
  response.end(content ?? "not found");
}

/** Answers `POST /v1/x509` only when the request is what the real auth service would accept. */
function serveFederation(request: RecordedRequest, response: ServerResponse): void {
  const problems: string[] = [];
  if (request.method !== "POST" || request.url !== "/v1/x509") {
    problems.push(`${request.method} ${request.url}`);
  }
  const check = verifyOciSignature(request, {
    publicKeyPem: identity.leaf.publicKeyPem,
    expectedKeyId: leafKeyId,
  });
  problems.push(...check.problems);
  const body = federationBodySchema.safeParse(JSON.parse(request.text));
  if (!body.success) {
    problems.push(`body: ${body.error.message}`);
  } else {
    if (body.data.certificate !== identity.leaf.base64) problems.push("certificate");
    if (body.data.purpose !== "DEFAULT") problems.push(`purpose ${body.data.purpose}`);
    if (body.data.intermediateCertificates.join() !== identity.intermediate.base64) {
      problems.push("intermediateCertificates");
    }
  }
  if (problems.length > 0 || !body.success) {
    federationProblems.push(...problems);
    writeJson(response, 401, { code: "NotAuthenticated", message: "rejected by the test" });
    return;
  }
  const sessionPublicKeyPem = createPublicKey({
    key: Buffer.from(body.data.publicKey, "base64"),
    format: "der",
    type: "spki",
  })
    .export({ type: "spki", format: "pem" })
    .toString();
  const token = sessionToken(`instance-${exchanges.length + 1}`);
  exchanges.push({ request, sessionPublicKeyPem, token });
  writeJson(response, 200, { token });
}

function answer(response: ServerResponse): Promise<void> {
  return replay(response, loadFixture("oci/openai-text"));
}

beforeEach(async () => {
  exchanges = [];
  federationProblems = [];
  metadata = await startFakeServer(serveMetadata);
  federation = await startFakeServer(serveFederation);
  genai = await startFakeServer((_request, response) => answer(response));
  vi.stubEnv("OCI_AUTH_TYPE", "instance_principal");
  vi.stubEnv("OCI_COMPARTMENT", COMPARTMENT);
  vi.stubEnv("OCI_METADATA_BASE_URL", `${metadata.url}/opc/v2`);
  vi.stubEnv("OCI_FEDERATION_ENDPOINT", `${federation.url}/`);
  vi.stubEnv("OCI_GENAI_BASE_URL", genai.url);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([metadata.close(), federation.close(), genai.close()]);
});

function onlyChatRequest(): RecordedRequest {
  expect(genai.requests).toHaveLength(1);
  const [request] = genai.requests;
  if (!request) throw new Error("no chat request");
  return request;
}

describe("instance principal signing (oci-common X.509 federation)", () => {
  it("federates with the leaf certificate and signs the chat request ST$<token> with the session key", async () => {
    const model = getModel(`oci:${MODEL}`);
    const result = await collectStream(model.stream([{ role: "user", content: "Hi" }]));

    expect(federationProblems).toEqual([]);
    // collectStream throws the finish event's error, so reaching here means no error.
    expect(result.text).toBe("fresh");

    // Metadata: identity documents only, each with the v2 header (the fake refuses others).
    expect(metadata.requests.length).toBeGreaterThan(0);
    expect(new Set(metadata.requests.map((request) => request.url))).toEqual(
      new Set([
        "/opc/v2/identity/cert.pem",
        "/opc/v2/identity/key.pem",
        "/opc/v2/identity/intermediate.pem",
      ]),
    );
    expect(
      metadata.requests.every((request) => request.headers.authorization === "Bearer Oracle"),
    ).toBe(true);

    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    if (!exchange) throw new Error("no federation exchange");
    const chat = onlyChatRequest();
    expect(chat.url).toBe("/openai/v1/chat/completions");
    expect(chat.headers["opc-compartment-id"]).toBe(COMPARTMENT);
    const check = verifyOciSignature(chat, {
      publicKeyPem: exchange.sessionPublicKeyPem,
      expectedKeyId: `ST$${exchange.token}`,
    });
    expect(check.problems).toEqual([]);
    // The session key, not the instance's own key, signs service calls.
    expect(
      verifyOciSignature(chat, { publicKeyPem: identity.leaf.publicKeyPem }).problems,
    ).toContain("RSA-SHA256 signature does not verify");
  });

  it("after a 401 federates again with a new session key and re-signs once", async () => {
    genai.setHandler((_request, response) => {
      if (genai.requests.length === 1) {
        writeJson(response, 401, { code: "NotAuthenticated", message: "token expired" });
        return;
      }
      return answer(response);
    });
    const model = getModel(`oci:${MODEL}`);
    const result = await collectStream(model.stream([{ role: "user", content: "Hi" }]));

    expect(federationProblems).toEqual([]);
    expect(result.text).toBe("fresh");
    expect(genai.requests).toHaveLength(2);
    expect(exchanges).toHaveLength(2);
    const [first, second] = exchanges;
    if (!first || !second) throw new Error("expected two federation exchanges");
    expect(second.sessionPublicKeyPem).not.toBe(first.sessionPublicKeyPem);
    const checks = genai.requests.map((request, index) =>
      verifyOciSignature(request, {
        publicKeyPem: (index === 0 ? first : second).sessionPublicKeyPem,
      }),
    );
    expect(checks.map((check) => check.problems)).toEqual([[], []]);
    expect(checks.map((check) => check.keyId)).toEqual([`ST$${first.token}`, `ST$${second.token}`]);
    // The same body both times: the retry re-signs the request, it does not rebuild it.
    expect(genai.requests[1]?.text).toBe(genai.requests[0]?.text);
  });

  it("reports a refused federation as a readable auth error and sends no chat request", async () => {
    federation.setHandler((_request, response) =>
      writeJson(response, 401, { code: "NotAuthenticated", message: "not in a dynamic group" }),
    );
    const model = getModel(`oci:${MODEL}`);
    const events: StreamEvent[] = [];
    for await (const event of model.stream([{ role: "user", content: "Hi" }])) events.push(event);

    expect(events.map((event) => event.type)).toEqual(["stream-start", "finish"]);
    const finish = events.at(-1);
    const error = finish?.type === "finish" ? finish.error : undefined;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error?.kind).toBe("auth");
    expect(error?.message).toContain("instance_principal");
    expect(error?.message).toContain("401");
    expect(error?.message).not.toContain("[object Object]");
    expect(genai.requests).toHaveLength(0);
  });

  it("registers the session token for redaction as soon as it is fetched", async () => {
    const model = getModel(`oci:${MODEL}`);
    await collectStream(model.stream([{ role: "user", content: "Hi" }]));
    const [exchange] = exchanges;
    if (!exchange) throw new Error("no federation exchange");
    expect(redactSecrets(`upstream said ${exchange.token}`)).toBe("upstream said [redacted]");
  });
});
