"use client";

/**
 * The banner that says recording is behind ("recording paused: the database is locked — 12
 * calls waiting, nothing lost") and goes away once the record has caught up. It asks
 * `/api/health` (no database write, no lock) now and then, more often while behind, and not at
 * all while the tab is hidden.
 */
import { useEffect, useState } from "react";
import {
  nextHealthPollMs,
  parseRecorderStatus,
  type RecorderStatus,
  recordingBanner,
} from "@/lib/ui/recording-status";

export function RecordingStatusBanner({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <div
      role="status"
      data-testid="recording-status"
      className="shrink-0 border-b border-line bg-danger-surface px-4 py-1.5 text-danger"
    >
      {message}
    </div>
  );
}

export function RecordingStatus() {
  const [status, setStatus] = useState<RecorderStatus | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let last: RecorderStatus | null = null;
    const poll = async () => {
      timer = null;
      if (document.visibilityState === "visible") {
        try {
          const response = await fetch("/api/health", { cache: "no-store" });
          last = parseRecorderStatus(await response.json());
        } catch {
          // The server is unreachable: that is not the recorder's news to tell.
          last = null;
        }
        if (stopped) return;
        setStatus(last);
      }
      timer = setTimeout(poll, nextHealthPollMs(last));
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && timer !== null) {
        clearTimeout(timer);
        void poll();
      }
    };
    void poll();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);

  return <RecordingStatusBanner message={recordingBanner(status)} />;
}
