import type { Environment } from "./provider-definition";

/**
 * The environment of a caller that passes none: the process's, like the SDKs' own defaults,
 * so `getModel("openai:…")` works in a plain script. The app never relies on it: its server
 * parses the environment once (`lib/env.ts`) and passes it to every entry point here.
 */
export function processEnvironment(): Environment {
  return typeof process === "undefined" ? {} : process.env;
}
