"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { type ModelPrices, modelsWithoutPrice, parseModelPrices } from "@/lib/ui/model-prices";
import { type ProviderInfo, parseModelsResponse } from "@/lib/ui/providers";

/** Opening a picker refreshes the list, but not more often than this. */
const REFRESH_INTERVAL_MS = 5_000;

/** What the server accepts as `?model=`; anything else would turn the whole answer into a 400. */
const MODEL_STRING = /^[a-z][a-z0-9-]*:\S.*$/;
const MAX_ASKED_MODELS = 32;

/**
 * The provider list and each model's current price. The columns' models are asked for by
 * name, so a model typed by hand (not in the list) gets its price too.
 */
export function useProviders(models: string[]): {
  providers: ProviderInfo[] | null;
  prices: ModelPrices | null;
  error: string | null;
  refresh: () => void;
} {
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [prices, setPrices] = useState<ModelPrices | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastFetch = useRef(0);
  const modelsRef = useRef(models);
  modelsRef.current = models;

  const load = useCallback(async () => {
    lastFetch.current = Date.now();
    const query = new URLSearchParams();
    for (const model of [...new Set(modelsRef.current)]
      .filter((candidate) => candidate.length <= 200 && MODEL_STRING.test(candidate))
      .slice(0, MAX_ASKED_MODELS)) {
      query.append("model", model);
    }
    const search = query.toString();
    try {
      const response = await fetch(`/api/models${search === "" ? "" : `?${search}`}`, {
        cache: "no-store",
      });
      const json: unknown = response.ok ? await response.json() : null;
      const parsed = parseModelsResponse(json);
      if (!parsed) throw new Error("unreadable");
      setProviders(parsed);
      setPrices(parseModelPrices(json));
      setError(null);
    } catch {
      setError("Could not load the model list.");
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = useCallback(() => {
    if (Date.now() - lastFetch.current >= REFRESH_INTERVAL_MS) void load();
  }, [load]);

  // A column switched to a model the answer did not cover: ask once for that set of models.
  const missing = prices ? modelsWithoutPrice(models, prices).join("\n") : "";
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (missing === "" || asked.current.has(missing)) return;
    asked.current.add(missing);
    void load();
  }, [missing, load]);

  return { providers, prices, error, refresh };
}
