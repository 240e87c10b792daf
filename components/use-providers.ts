"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { type ProviderInfo, parseModelsResponse } from "@/lib/ui/providers";

/** Opening a picker refreshes the list, but not more often than this. */
const REFRESH_INTERVAL_MS = 5_000;

export function useProviders(): {
  providers: ProviderInfo[] | null;
  error: string | null;
  refresh: () => void;
} {
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastFetch = useRef(0);

  const load = useCallback(async () => {
    lastFetch.current = Date.now();
    try {
      const response = await fetch("/api/models", { cache: "no-store" });
      const parsed = response.ok ? parseModelsResponse(await response.json()) : null;
      if (!parsed) throw new Error("unreadable");
      setProviders(parsed);
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

  return { providers, error, refresh };
}
