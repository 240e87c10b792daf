import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTestOciFiles,
  TEST_TENANCY,
  type TestOciFiles,
} from "@/test/support/oci/oci-test-support";
import { InvalidOptionsError } from "../errors";
import type { Environment } from "../provider-definition";
import { createOciModel, ociConfiguration, ociProvider } from "./index";
import { OciConnection } from "./oci-connection";
import { OciNativeChatModel } from "./oci-native-chat-model";
import { OciOpenAICompatibleModel } from "./oci-openai-model";
import {
  AUTH_MODE_MESSAGE,
  resolveCompartmentId,
  resolveOciSettings,
  usesNativeTransport,
} from "./oci-settings";

let files: TestOciFiles;

beforeEach(() => {
  files = createTestOciFiles();
});

afterEach(() => {
  files.remove();
});

function connectionFor(options: unknown, environment: Environment): OciConnection {
  return new OciConnection(resolveOciSettings({ options, environment }), { environment });
}

describe("routing (locus _make_oci)", () => {
  it.each([
    ["ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaexample", true],
    ["OCID1.GenerativeAIEndpoint.oc1.eu-frankfurt-1.x", true],
    ["cohere.command-r-plus", true],
    ["cohere.command-r-08-2024", true],
    ["Cohere.Command-R-Plus-08-2024", true],
    ["cohere.command-a-03-2025", false],
    ["meta.llama-3.3-70b-instruct", false],
    ["xai.grok-4", false],
    ["google.gemini-2.5-pro", false],
    ["openai.gpt-5", false],
    ["ocid1.compartment.oc1..x", false],
  ])("%s → native: %s", (modelId, native) => {
    expect(usesNativeTransport(modelId)).toBe(native);
    const model = createOciModel(modelId, { configFile: files.configFile }, { environment: {} });
    expect(model).toBeInstanceOf(native ? OciNativeChatModel : OciOpenAICompatibleModel);
    expect(model.provider).toBe("oci");
    expect(model.modelId).toBe(modelId);
  });

  it("takes OCI_PROFILE only when neither profile nor authType is given and it is non-empty", () => {
    const environment = { OCI_PROFILE: "SESSION", OCI_COMPARTMENT: "ocid1.compartment.oc1..c" };
    const fromEnvironment = resolveOciSettings({ options: {}, environment });
    expect(fromEnvironment.auth).toEqual({
      mode: "profile",
      configFile: "~/.oci/config",
      profile: "SESSION",
    });
    expect(resolveOciSettings({ options: { profile: "OTHER" }, environment }).auth).toMatchObject({
      profile: "OTHER",
    });
    expect(
      resolveOciSettings({ options: { authType: "instance_principal" }, environment }).auth,
    ).toEqual({ mode: "instance_principal" });
    expect(
      resolveOciSettings({ options: {}, environment: { OCI_PROFILE: "" } }).auth,
    ).toMatchObject({ profile: "DEFAULT" });
    expect(
      resolveOciSettings({ options: {}, environment: { OCI_PROFILE: "  " } }).auth,
    ).toMatchObject({ profile: "DEFAULT" });
  });

  it("uses OCI_AUTH_TYPE instead of a profile when it is set", () => {
    const settings = resolveOciSettings({
      options: {},
      environment: {
        OCI_AUTH_TYPE: "resource_principal",
        OCI_PROFILE: "SESSION",
        OCI_COMPARTMENT_ID: "ocid1.compartment.oc1..c",
      },
    });
    expect(settings.auth).toEqual({ mode: "resource_principal" });
    expect(settings.configurationProblem).toBeNull();
  });
});

describe("option validation (locus §3.4)", () => {
  const environment = {};

  it("rejects unknown options instead of ignoring them", () => {
    expect(() => createOciModel("meta.llama-3.3-70b-instruct", { profil: "X" })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createOciModel("meta.llama-3.3-70b-instruct", { temperature: 1 })).toThrow(
      /temperature/,
    );
  });

  it("asks for exactly one auth mode, naming only modes that are accepted", () => {
    let message = "";
    try {
      resolveOciSettings({
        options: { profile: "DEFAULT", authType: "instance_principal", compartmentId: "c" },
        environment,
      });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionsError);
      message = (error as Error).message;
    }
    expect(message).toContain("specify exactly one auth mode");
    for (const named of ["~/.oci/config", "DEFAULT", "instance_principal", "compartment_id"]) {
      expect(message).toContain(named);
    }
    expect(message).not.toMatch(/security_token|delegation_token/);
    expect(AUTH_MODE_MESSAGE).toContain("resource_principal");
  });

  it("rejects an unknown authType", () => {
    expect(() =>
      resolveOciSettings({
        options: { authType: "security_token", compartmentId: "c" },
        environment,
      }),
    ).toThrow(
      "authType must be one of (instance_principal, resource_principal), got 'security_token'",
    );
  });

  it("requires a compartment with authType", () => {
    expect(() =>
      resolveOciSettings({ options: { authType: "instance_principal" }, environment }),
    ).toThrow("compartmentId is required when authType is set");
    expect(
      resolveOciSettings({
        options: { authType: "instance_principal" },
        environment: { OCI_COMPARTMENT: "ocid1.compartment.oc1..c" },
      }).auth,
    ).toEqual({ mode: "instance_principal" });
  });

  it("keeps a bad OCI_AUTH_TYPE as a configuration problem instead of throwing", () => {
    const settings = resolveOciSettings({ options: {}, environment: { OCI_AUTH_TYPE: "api_key" } });
    expect(settings.configurationProblem?.missing).toEqual(["OCI_AUTH_TYPE"]);
    const missingCompartment = resolveOciSettings({
      options: {},
      environment: { OCI_AUTH_TYPE: "instance_principal" },
    });
    expect(missingCompartment.configurationProblem?.missing).toEqual(["OCI_COMPARTMENT"]);
  });
});

describe("region and base URL", () => {
  it("defaults to us-chicago-1 when nothing names a region", () => {
    const noRegion = createTestOciFiles({ region: null });
    try {
      const connection = connectionFor({ configFile: noRegion.configFile }, {});
      expect(connection.region).toBe("us-chicago-1");
      expect(connection.serviceOrigin).toBe(
        "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com",
      );
    } finally {
      noRegion.remove();
    }
  });

  it("prefers option, then OCI_REGION, then the profile's region", () => {
    const configFile = files.configFile;
    expect(connectionFor({ configFile }, {}).region).toBe("eu-frankfurt-1");
    expect(connectionFor({ configFile }, { OCI_REGION: "uk-london-1" }).region).toBe("uk-london-1");
    expect(
      connectionFor({ configFile, region: "ap-tokyo-1" }, { OCI_REGION: "uk-london-1" }).region,
    ).toBe("ap-tokyo-1");
  });

  it("appends /openai/v1 for the compatible path and /20231130/actions/chat for native", () => {
    const environment = { OCI_CONFIG_FILE: files.configFile };
    const compatible = createOciModel("xai.grok-4", { region: "us-ashburn-1" }, { environment });
    const native = createOciModel(
      "cohere.command-r-plus",
      { region: "us-ashburn-1" },
      { environment },
    );
    expect((compatible as OciOpenAICompatibleModel).baseURL).toBe(
      "https://inference.generativeai.us-ashburn-1.oci.oraclecloud.com/openai/v1",
    );
    expect((native as OciNativeChatModel).url).toBe(
      "https://inference.generativeai.us-ashburn-1.oci.oraclecloud.com/20231130/actions/chat",
    );
  });

  it("takes OCI_GENAI_BASE_URL over the region, and a baseURL option over both", () => {
    const environment = {
      OCI_CONFIG_FILE: files.configFile,
      OCI_GENAI_BASE_URL: "https://genai.example.test/",
    };
    const compatible = createOciModel("meta.llama-3.3-70b-instruct", {}, { environment });
    expect((compatible as OciOpenAICompatibleModel).baseURL).toBe(
      "https://genai.example.test/openai/v1",
    );
    const native = createOciModel(
      "cohere.command-r-plus",
      { baseURL: "http://127.0.0.1:9/openai/v1" },
      { environment },
    );
    expect((native as OciNativeChatModel).url).toBe("http://127.0.0.1:9/20231130/actions/chat");
  });
});

describe("compartment resolution (locus §3.4 step 5)", () => {
  const tenancy = () => TEST_TENANCY;

  it("goes explicit → OCI_COMPARTMENT → OCI_COMPARTMENT_ID → the profile's tenancy", () => {
    const both = { OCI_COMPARTMENT: "from-compartment", OCI_COMPARTMENT_ID: "from-compartment-id" };
    expect(
      resolveCompartmentId({
        explicitCompartmentId: "explicit",
        environment: both,
        profileTenancy: tenancy,
      }),
    ).toBe("explicit");
    expect(
      resolveCompartmentId({
        explicitCompartmentId: null,
        environment: both,
        profileTenancy: tenancy,
      }),
    ).toBe("from-compartment");
    expect(
      resolveCompartmentId({
        explicitCompartmentId: null,
        environment: { OCI_COMPARTMENT_ID: "from-compartment-id" },
        profileTenancy: tenancy,
      }),
    ).toBe("from-compartment-id");
    expect(
      resolveCompartmentId({
        explicitCompartmentId: null,
        environment: {},
        profileTenancy: tenancy,
      }),
    ).toBe(TEST_TENANCY);
  });

  it("does not read the profile when a compartment is named, and gives null when it cannot", () => {
    let reads = 0;
    const counting = () => {
      reads += 1;
      return TEST_TENANCY;
    };
    resolveCompartmentId({
      explicitCompartmentId: null,
      environment: { OCI_COMPARTMENT: "c" },
      profileTenancy: counting,
    });
    expect(reads).toBe(0);
    expect(
      resolveCompartmentId({
        explicitCompartmentId: null,
        environment: {},
        profileTenancy: () => {
          throw new Error("unreadable");
        },
      }),
    ).toBeNull();
    expect(
      resolveCompartmentId({ explicitCompartmentId: null, environment: {}, profileTenancy: null }),
    ).toBeNull();
  });

  it("reads the tenancy from a real profile, and gives null for a missing one", () => {
    expect(connectionFor({ configFile: files.configFile }, {}).compartmentId).toBe(TEST_TENANCY);
    expect(
      connectionFor({ configFile: files.configFile, profile: "NOPE" }, {}).compartmentId,
    ).toBeNull();
    expect(
      connectionFor({ configFile: `${files.configFile}.missing` }, {}).compartmentId,
    ).toBeNull();
  });
});

describe("ociProvider.configuration", () => {
  it("is configured by a config file that has the profile", () => {
    expect(ociConfiguration({ OCI_CONFIG_FILE: files.configFile })).toEqual({
      configured: true,
      missing: [],
    });
    expect(
      ociConfiguration({ OCI_CONFIG_FILE: files.configFile, OCI_PROFILE: "SESSION" }).configured,
    ).toBe(true);
  });

  it("names what to set when the file or the profile is missing", () => {
    const missingFile = ociConfiguration({ OCI_CONFIG_FILE: `${files.configFile}.missing` });
    expect(missingFile.configured).toBe(false);
    expect(missingFile.missing).toEqual(["OCI_CONFIG_FILE", "OCI_AUTH_TYPE"]);
    const missingProfile = ociConfiguration({
      OCI_CONFIG_FILE: files.configFile,
      OCI_PROFILE: "ABSENT",
    });
    expect(missingProfile).toMatchObject({ configured: false, missing: ["OCI_PROFILE"] });
  });

  it("is configured by OCI_AUTH_TYPE with a compartment", () => {
    expect(
      ociConfiguration({ OCI_AUTH_TYPE: "instance_principal", OCI_COMPARTMENT: "c" }).configured,
    ).toBe(true);
    expect(ociConfiguration({ OCI_AUTH_TYPE: "instance_principal" })).toMatchObject({
      configured: false,
      missing: ["OCI_COMPARTMENT"],
    });
    expect(ociConfiguration({ OCI_AUTH_TYPE: "magic", OCI_COMPARTMENT: "c" })).toMatchObject({
      configured: false,
      missing: ["OCI_AUTH_TYPE"],
    });
  });

  it("lists OCI model ids of the cohere, meta, google and xai families and openai.gpt-*", async () => {
    const models = await ociProvider.listModels();
    expect(models).toContain("cohere.command-r-plus");
    expect(models).toContain("meta.llama-3.3-70b-instruct");
    expect(models).toContain("google.gemini-2.5-pro");
    expect(models).toContain("xai.grok-4");
    expect(models.filter((id) => id.startsWith("openai."))).not.toHaveLength(0);
    expect(models.every((id) => /^(cohere|meta|google|xai|openai)\./.test(id))).toBe(true);
  });
});
