"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * A timestamp in the reader's own time zone. The server does not know that zone, so it renders
 * UTC and the browser switches to local time right after hydration (no mismatch warning).
 */
export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  const text = hydrated
    ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
    : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return (
    <time dateTime={iso} title={iso}>
      {text}
    </time>
  );
}
