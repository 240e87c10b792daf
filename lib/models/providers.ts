/**
 * Which providers `lib/models` serves, and which of them run on this machine: the one list
 * every other part of the app (prices, reports, the page) reads. Plain data, free of SDKs and
 * of `server-only`, so client components import it too. The registry pairs each entry with
 * its factory.
 */

export const PROVIDERS = [
  { id: "openai", label: "OpenAI", local: false, simulated: false },
  { id: "anthropic", label: "Anthropic", local: false, simulated: false },
  { id: "ollama", label: "Ollama (local)", local: true, simulated: false },
  { id: "oci", label: "OCI Generative AI", local: false, simulated: false },
  // No model is called: the picker marks every one of its models as simulated.
  { id: "demo", label: "Demo (simulated, free)", local: true, simulated: true },
] as const;

export type ProviderId = (typeof PROVIDERS)[number]["id"];

/** In registry order; a non-empty tuple, so it can feed `z.enum`. */
export const PROVIDER_IDS = PROVIDERS.map((provider) => provider.id) as [
  ProviderId,
  ...ProviderId[],
];

/** Providers whose models run locally: free, shown as "local", never "unpriced". */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(
  PROVIDERS.filter((provider) => provider.local).map((provider) => provider.id),
);

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export function isLocalProvider(id: string): boolean {
  return LOCAL_PROVIDERS.has(id);
}

/** The demo provider: answers are made up locally, which the page must say wherever it names one. */
export function isSimulatedProvider(id: string): boolean {
  return PROVIDERS.some((provider) => provider.id === id && provider.simulated);
}

/** A provider's id, label and whether it is local, for its registry definition. */
export function providerInfo(id: ProviderId): { id: ProviderId; label: string; local: boolean } {
  const found = PROVIDERS.find((provider) => provider.id === id);
  if (!found) throw new Error(`no provider ${id}`);
  return { id: found.id, label: found.label, local: found.local };
}
