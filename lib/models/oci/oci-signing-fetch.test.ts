import { generateKeyPairSync } from "node:crypto";
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer, writeJson } from "@/test/support/fake-http-server";
import {
  API_KEY_ID,
  createTestOciFiles,
  type TestOciFiles,
  verifyOciSignature,
  withBody,
} from "@/test/support/oci/oci-test-support";
import { ProviderError } from "../errors";
import { redactSecrets } from "../secrets";
import { createOciRequestSigner, type OciRequestSigner } from "./oci-auth";
import { readOciProfile } from "./oci-config-file";
import { createOciSigningFetch } from "./oci-signing-fetch";

const COMPARTMENT = "ocid1.compartment.oc1..aaaatestcompartment";

let files: TestOciFiles;
let server: FakeServer;

beforeEach(async () => {
  files = createTestOciFiles();
  server = await startFakeServer((_request, response) => writeJson(response, 200, { ok: true }));
});

afterEach(async () => {
  await server.close();
  files.remove();
});

function signerFor(
  profile: string,
  options: { now?: () => number; configFile?: string } = {},
): Promise<OciRequestSigner> {
  const configFile = options.configFile ?? files.configFile;
  return createOciRequestSigner({
    auth: { mode: "profile", configFile, profile },
    loadProfile: () => readOciProfile({ configFile, profile }),
    now: options.now,
  });
}

async function post(
  signingFetch: typeof fetch,
  body: string,
  headers: Record<string, string> = {},
) {
  return signingFetch(`${server.url}/20231130/actions/chat?debug=1`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

describe("the signature verifier", () => {
  it("fails on a body that differs from the signed one, and on a changed signed header", async () => {
    const signingFetch = createOciSigningFetch({
      signer: await signerFor("DEFAULT"),
      compartmentId: COMPARTMENT,
    });
    await post(signingFetch, '{"a":1}');
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    const publicKeyPem = files.keys.publicKeyPem;
    expect(verifyOciSignature(request, { publicKeyPem }).ok).toBe(true);

    // Same length, other bytes: only the digest can catch it.
    const tampered = verifyOciSignature(withBody(request, '{"a":2}'), { publicKeyPem });
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toContain("x-content-sha256 is not the digest of the body received");

    const forgedDate = verifyOciSignature(
      { ...request, headers: { ...request.headers, "x-date": "Thu, 01 Jan 1970 00:00:00 GMT" } },
      { publicKeyPem },
    );
    expect(forgedDate.problems).toContain("RSA-SHA256 signature does not verify");

    const otherKey = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    }).publicKey;
    expect(verifyOciSignature(request, { publicKeyPem: otherKey }).problems).toContain(
      "RSA-SHA256 signature does not verify",
    );
  });
});

describe("createOciSigningFetch", () => {
  it("signs an API-key request over the exact body bytes, with the compartment and no bearer key", async () => {
    const signingFetch = createOciSigningFetch({
      signer: await signerFor("DEFAULT"),
      compartmentId: COMPARTMENT,
    });
    // Multi-byte characters: the digest and content-length must count bytes, not characters.
    const body = JSON.stringify({ text: "héllo — ✓ 日本" });
    const response = await post(signingFetch, body, {
      authorization: "Bearer sk-should-never-be-sent",
      "x-api-key": "sk-also-not",
    });
    expect(response.status).toBe(200);

    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.url).toBe("/20231130/actions/chat?debug=1");
    expect(request.text).toBe(body);
    expect(request.headers["opc-compartment-id"]).toBe(COMPARTMENT);
    expect(request.headers["x-api-key"]).toBeUndefined();
    expect(request.headers.authorization).toMatch(/^Signature /);
    expect(request.headers.authorization).not.toContain("Bearer");

    const check = verifyOciSignature(request, {
      publicKeyPem: files.keys.publicKeyPem,
      expectedKeyId: API_KEY_ID,
    });
    expect(check.problems).toEqual([]);
    expect(check.signedHeaders).toEqual(
      expect.arrayContaining([
        "(request-target)",
        "host",
        "x-date",
        "content-length",
        "content-type",
        "x-content-sha256",
      ]),
    );
  });

  it("signs a session-token request with keyId ST$<token>", async () => {
    const signingFetch = createOciSigningFetch({
      signer: await signerFor("SESSION"),
      compartmentId: null,
    });
    await post(signingFetch, "{}");
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.headers["opc-compartment-id"]).toBeUndefined();
    const check = verifyOciSignature(request, {
      publicKeyPem: files.keys.publicKeyPem,
      expectedKeyId: "ST$session-token-one",
    });
    expect(check.problems).toEqual([]);
  });

  it("forwards the AbortSignal", async () => {
    server.setHandler(() => {
      // never answers
    });
    const signingFetch = createOciSigningFetch({
      signer: await signerFor("DEFAULT"),
      compartmentId: COMPARTMENT,
    });
    const controller = new AbortController();
    const pending = signingFetch(`${server.url}/x`, {
      method: "POST",
      body: "{}",
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await server.waitForClientAbort();
  });

  it("refreshes a session token after a 401 and re-sends exactly once, signed with the new token", async () => {
    server.setHandler((request, response) => {
      if (server.requests.length === 1) {
        // The token is renewed (`oci session authenticate`) while the old one is rejected.
        files.writeToken("session-token-two");
        writeJson(response, 401, { code: "NotAuthenticated", message: "expired" });
        return;
      }
      writeJson(response, 200, { seen: request.headers.authorization ? "signed" : "unsigned" });
    });
    const signer = await signerFor("SESSION");
    const signingFetch = createOciSigningFetch({ signer, compartmentId: COMPARTMENT });
    const body = '{"retry":true}';
    const response = await post(signingFetch, body);

    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    if (!first || !second) throw new Error("requests missing");
    const publicKeyPem = files.keys.publicKeyPem;
    expect(
      verifyOciSignature(first, { publicKeyPem, expectedKeyId: "ST$session-token-one" }).ok,
    ).toBe(true);
    const resent = verifyOciSignature(second, {
      publicKeyPem,
      expectedKeyId: "ST$session-token-two",
    });
    expect(resent.problems).toEqual([]);
    expect(second.text).toBe(body);
    expect(second.headers["opc-compartment-id"]).toBe(COMPARTMENT);
  });

  it("re-sends a session-token request only once when the 401 persists", async () => {
    server.setHandler((_request, response) =>
      writeJson(response, 401, { code: "NotAuthenticated", message: "no" }),
    );
    const signingFetch = createOciSigningFetch({
      signer: await signerFor("SESSION"),
      compartmentId: COMPARTMENT,
    });
    const response = await post(signingFetch, "{}");
    expect(response.status).toBe(401);
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry a 401 for an API-key signer, which never refreshes", async () => {
    server.setHandler((_request, response) =>
      writeJson(response, 401, { code: "NotAuthenticated", message: "bad key" }),
    );
    const signer = await signerFor("DEFAULT");
    expect(signer.refreshable).toBe(false);
    const signingFetch = createOciSigningFetch({ signer, compartmentId: COMPARTMENT });
    const response = await post(signingFetch, "{}");
    expect(response.status).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(await signer.refresh()).toBe(false);
  });
});

describe("OciRequestSigner refresh", () => {
  it("reloads a session token once 600 s have passed, not before", async () => {
    let now = 1_000_000;
    const signer = await signerFor("SESSION", { now: () => now });
    const signingFetch = createOciSigningFetch({ signer, compartmentId: COMPARTMENT });
    const keyIds = () =>
      server.requests.map(
        (request) =>
          verifyOciSignature(request, { publicKeyPem: files.keys.publicKeyPem }).keyId ?? "",
      );

    await post(signingFetch, "{}");
    files.writeToken("session-token-two");
    now += 599_000;
    await post(signingFetch, "{}");
    now += 1_000;
    await post(signingFetch, "{}");
    expect(keyIds()).toEqual([
      "ST$session-token-one",
      "ST$session-token-one",
      "ST$session-token-two",
    ]);
  });

  it("records a failed refresh instead of throwing, and keeps signing with the old token", async () => {
    let now = 0;
    const signer = await signerFor("SESSION", { now: () => now });
    const signingFetch = createOciSigningFetch({ signer, compartmentId: COMPARTMENT });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    unlinkSync(files.tokenFile);
    now += 600_000;

    const response = await post(signingFetch, "{}");
    expect(response.status).toBe(200);
    expect(signer.lastRefreshError).toBeInstanceOf(Error);
    expect(signer.lastRefreshError?.message).not.toContain("session-token-one");
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(
      verifyOciSignature(request, {
        publicKeyPem: files.keys.publicKeyPem,
        expectedKeyId: "ST$session-token-one",
      }).ok,
    ).toBe(true);

    files.writeToken("session-token-three");
    expect(await signer.refresh()).toBe(true);
    expect(signer.lastRefreshError).toBeNull();
    warn.mockRestore();
  });

  it("never lets the token into text that leaves the server", async () => {
    await signerFor("SESSION");
    expect(redactSecrets("failed with ST$session-token-one and session-token-one")).not.toContain(
      "session-token-one",
    );
  });
});

describe("private keys with a pass phrase", () => {
  it("signs with an encrypted key_file and its pass_phrase", async () => {
    const encrypted = createTestOciFiles({ passPhrase: "correct horse battery" });
    try {
      const signingFetch = createOciSigningFetch({
        signer: await signerFor("DEFAULT", { configFile: encrypted.configFile }),
        compartmentId: COMPARTMENT,
      });
      await post(signingFetch, "{}");
      const [request] = server.requests;
      if (!request) throw new Error("no request recorded");
      expect(
        verifyOciSignature(request, {
          publicKeyPem: encrypted.keys.publicKeyPem,
          expectedKeyId: API_KEY_ID,
        }).problems,
      ).toEqual([]);
    } finally {
      encrypted.remove();
    }
  });

  it("reports a wrong pass phrase as an auth error that quotes neither key nor pass phrase", async () => {
    const encrypted = createTestOciFiles({ passPhrase: "correct horse battery" });
    try {
      const wrongConfig = `${encrypted.configFile}.wrong`;
      writeFileSync(
        wrongConfig,
        readFileSync(encrypted.configFile, "utf8").replace(
          "pass_phrase=correct horse battery",
          "pass_phrase=wrong pass phrase here",
        ),
      );
      const failure = await signerFor("DEFAULT", { configFile: wrongConfig }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ProviderError);
      expect((failure as ProviderError).kind).toBe("auth");
      const message = (failure as ProviderError).message;
      expect(message).not.toContain("wrong pass phrase here");
      expect(message).not.toContain("PRIVATE KEY");
    } finally {
      encrypted.remove();
    }
  });
});
