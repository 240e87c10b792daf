import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer, writeJson } from "@/test/support/fake-http-server";
import {
  createTestOciFiles,
  type TestOciFiles,
  verifyOciSignature,
} from "@/test/support/oci/oci-test-support";
import { createOciRequestSigner } from "./oci-auth";
import { createOciSigningFetch } from "./oci-signing-fetch";

/** A resource principal session token: a JWT whose claims oci-common reads but does not verify. */
function resourcePrincipalToken(subject: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = { sub: subject, exp: Math.round(Date.now() / 1000) + 3600 };
  return `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}.c2lnbmF0dXJl`;
}

let files: TestOciFiles;
let server: FakeServer;
let tokenFile: string;
const firstToken = resourcePrincipalToken("first");
const secondToken = resourcePrincipalToken("second");

beforeEach(async () => {
  files = createTestOciFiles();
  server = await startFakeServer((_request, response) => writeJson(response, 200, {}));
  tokenFile = path.join(files.directory, "rpst");
  writeFileSync(tokenFile, firstToken);
  // The environment a Functions / Data Science runtime sets (RP v2.2, file-based).
  vi.stubEnv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2");
  vi.stubEnv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", files.keyFile);
  vi.stubEnv("OCI_RESOURCE_PRINCIPAL_RPST", tokenFile);
  vi.stubEnv("OCI_RESOURCE_PRINCIPAL_REGION", "us-chicago-1");
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
  files.remove();
});

describe("resource principal signing (oci-common provider)", () => {
  it("signs with ST$<rpst> and re-signs with the re-read token after a 401", async () => {
    const signer = await createOciRequestSigner({
      auth: { mode: "resource_principal" },
      loadProfile: () => {
        throw new Error("not used");
      },
    });
    expect(signer.kind).toBe("resource_principal");
    expect(signer.refreshable).toBe(true);
    server.setHandler((_request, response) => {
      if (server.requests.length === 1) {
        writeFileSync(tokenFile, secondToken);
        writeJson(response, 401, { code: "NotAuthenticated", message: "expired" });
        return;
      }
      writeJson(response, 200, {});
    });
    const signingFetch = createOciSigningFetch({
      signer,
      compartmentId: "ocid1.compartment.oc1..rp",
    });
    const response = await signingFetch(`${server.url}/openai/v1/chat/completions`, {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(200);
    const checks = server.requests.map((request) =>
      verifyOciSignature(request, { publicKeyPem: files.keys.publicKeyPem }),
    );
    expect(checks.map((check) => check.problems)).toEqual([[], []]);
    expect(checks.map((check) => check.keyId)).toEqual([`ST$${firstToken}`, `ST$${secondToken}`]);
  });
});
