/**
 * Reads one profile of an OCI CLI/SDK config file (`~/.oci/config`) with oci-common's parser,
 * so profile inheritance from `[DEFAULT]` works exactly as in the official SDKs.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { ConfigFile, ConfigFileReader } from "oci-common/lib/config-file-reader";
import { NotConfiguredError } from "../errors";

export const DEFAULT_OCI_CONFIG_FILE = "~/.oci/config";
export const DEFAULT_OCI_PROFILE = "DEFAULT";

/** The fields of a profile we use; `null` when the profile (and `[DEFAULT]`) lacks one. */
export interface OciProfile {
  name: string;
  configFile: string;
  tenancy: string | null;
  user: string | null;
  fingerprint: string | null;
  keyFile: string | null;
  passPhrase: string | null;
  securityTokenFile: string | null;
  region: string | null;
}

export function expandHomeDirectory(filePath: string): string {
  if (filePath === "~") return homedir();
  if (filePath.startsWith("~/") || filePath.startsWith("~\\")) {
    return path.join(homedir(), filePath.slice(2));
  }
  return filePath;
}

export type ProfileLookup =
  | { status: "found"; profile: OciProfile }
  | { status: "missing_file" }
  | { status: "missing_profile" }
  | { status: "unreadable" }
  | { status: "malformed" };

/** Looks a profile up without throwing: `configuration()` and error messages both need why. */
export function lookupOciProfile({
  configFile,
  profile,
}: {
  configFile: string;
  profile: string;
}): ProfileLookup {
  const filePath = expandHomeDirectory(configFile);
  if (!existsSync(filePath)) return { status: "missing_file" };
  let content: string;
  try {
    content = readFileSync(filePath, "utf8");
  } catch {
    return { status: "unreadable" };
  }
  let parsed: ConfigFile;
  try {
    // With a null profile a missing profile is not an error; we check that ourselves.
    parsed = ConfigFileReader.parse(content, null);
  } catch {
    // The parser's message quotes the offending line, which may hold a pass phrase.
    return { status: "malformed" };
  }
  if (!parsed.accumulator.configurationsByProfile.has(profile)) {
    return { status: "missing_profile" };
  }
  const file = new ConfigFile(parsed.accumulator, profile);
  const read = (key: string): string | null => {
    const value = file.get(key);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  };
  return {
    status: "found",
    profile: {
      name: profile,
      configFile,
      tenancy: read("tenancy"),
      user: read("user"),
      fingerprint: read("fingerprint"),
      keyFile: read("key_file"),
      passPhrase: read("pass_phrase"),
      securityTokenFile: read("security_token_file"),
      region: read("region"),
    },
  };
}

/** Like `lookupOciProfile`, but a missing file or profile is a `NotConfiguredError`. */
export function readOciProfile(options: { configFile: string; profile: string }): OciProfile {
  const lookup = lookupOciProfile(options);
  switch (lookup.status) {
    case "found":
      return lookup.profile;
    case "missing_file":
      throw new NotConfiguredError({
        provider: "oci",
        missing: ["OCI_CONFIG_FILE", "OCI_AUTH_TYPE"],
        hint: `no OCI config file at ${options.configFile}; run \`oci setup config\` or use instance/resource principals`,
      });
    case "missing_profile":
      throw new NotConfiguredError({
        provider: "oci",
        missing: ["OCI_PROFILE"],
        hint: `profile [${options.profile}] is not in ${options.configFile}`,
      });
    case "unreadable":
    case "malformed":
      throw new NotConfiguredError({
        provider: "oci",
        missing: ["OCI_CONFIG_FILE"],
        hint: `${options.configFile} could not be ${lookup.status === "unreadable" ? "read" : "parsed"}`,
      });
    default: {
      const exhaustive: never = lookup;
      throw new Error(`unexpected profile lookup ${String(exhaustive)}`);
    }
  }
}
