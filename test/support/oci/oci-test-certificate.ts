/**
 * Test support: throw-away X.509 certificates shaped like the ones an OCI instance gets from its
 * metadata service (a leaf whose subject names `opc-tenant:<tenancy>`, issued by an
 * intermediate). node:crypto can parse certificates but not create them; sshpk, the library
 * oci-common itself uses to parse these certificates, creates them here.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import sshpk from "sshpk";

/** Subject attributes in order, named as sshpk names them (`cn`, `ou`, ...). */
export type CertificateSubject = sshpk.IdentityNameComponent[];

export interface TestCertificate {
  /** `-----BEGIN CERTIFICATE-----` PEM. */
  pem: string;
  /** The DER bytes in base64 on one line (what OCI federation bodies carry). */
  base64: string;
  privateKeyPem: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  subject: sshpk.Identity;
  signingKey: sshpk.PrivateKey;
}

const HOUR_MS = 3_600_000;

/** An X.509 v3 certificate (RSA 2048, SHA-256), self-signed unless an issuer is given. */
export function createTestCertificate({
  subject,
  issuer,
  serial,
}: {
  subject: CertificateSubject;
  issuer?: TestCertificate;
  serial: number;
}): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // Instance metadata serves the leaf key as PKCS#1 (`BEGIN RSA PRIVATE KEY`).
  const privateKeyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const signingKey = sshpk.parsePrivateKey(privateKeyPem, "pem");
  const identity = sshpk.identityFromArray(subject);
  const now = Date.now();
  const options = {
    serial: Buffer.from([serial]),
    validFrom: new Date(now - HOUR_MS),
    validUntil: new Date(now + 24 * HOUR_MS),
  };
  const certificate = issuer
    ? sshpk.createCertificate(identity, signingKey, issuer.subject, issuer.signingKey, options)
    : sshpk.createSelfSignedCertificate(identity, signingKey, options);
  return {
    pem: certificate.toString("pem"),
    base64: certificate.toBuffer("x509").toString("base64"),
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKey: createPrivateKey(privateKeyPem),
    subject: identity,
    signingKey,
  };
}

export interface InstanceIdentity {
  tenancy: string;
  intermediate: TestCertificate;
  leaf: TestCertificate;
}

/** The certificates an OCI instance's metadata service hands out, for `tenancy`. */
export function createInstanceIdentity(tenancy: string): InstanceIdentity {
  const intermediate = createTestCertificate({
    subject: [{ name: "cn", value: "PKISVC Identity Intermediate (test)" }],
    serial: 1,
  });
  const leaf = createTestCertificate({
    subject: [
      { name: "cn", value: "ocid1.instance.oc1.us-chicago-1.test" },
      { name: "ou", value: "opc-certtype:instance" },
      { name: "ou", value: "opc-compartment:ocid1.compartment.oc1..test" },
      { name: "ou", value: "opc-instance:ocid1.instance.oc1.us-chicago-1.test" },
      { name: "ou", value: `opc-tenant:${tenancy}` },
    ],
    issuer: intermediate,
    serial: 2,
  });
  return { tenancy, intermediate, leaf };
}
