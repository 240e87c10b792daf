/**
 * What each gateway key has spent since the start of a budget's window (today, this month).
 * A window is read once from the recorded calls — the sum the usage report shows — and then
 * kept current in memory as the key's calls end, so a budget check costs no query however
 * many calls the key has made. Each window is read again after `refreshMs`: that takes in a
 * re-price, calls recorded by another process, and the calls that had ended but were still in
 * the recorder's queue when the window was read.
 */
export interface KeySpendLedgerOptions {
  /** The recorded spend of `keyId`'s calls started at or after `since`. */
  read: (options: { keyId: string; since: Date }) => number;
  refreshMs?: number;
  now?: () => number;
}

interface SpendWindow {
  sinceMs: number;
  spentUsd: number;
  readAtMs: number;
}

const DEFAULT_REFRESH_MS = 60_000;

export class KeySpendLedger {
  private readonly windows = new Map<string, SpendWindow[]>();
  private readonly read: KeySpendLedgerOptions["read"];
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(options: KeySpendLedgerOptions) {
    this.read = options.read;
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.now = options.now ?? Date.now;
  }

  /** The key's spend since `since`, read from the database when not known or too old. */
  spent(keyId: string, since: Date): number {
    const now = this.now();
    const windows = this.fresh(keyId, now);
    const sinceMs = since.getTime();
    const known = windows.find((window) => window.sinceMs === sinceMs);
    if (known) return known.spentUsd;
    const spentUsd = this.read({ keyId, since });
    windows.push({ sinceMs, spentUsd, readAtMs: now });
    this.windows.set(keyId, windows);
    return spentUsd;
  }

  /** A call of the key ended with this cost: every window it started in grows by it. */
  add(options: { keyId: string; startedAt: Date; costUsd: number | null }): void {
    if (options.costUsd === null || options.costUsd === 0) return;
    const startedMs = options.startedAt.getTime();
    for (const window of this.fresh(options.keyId, this.now())) {
      if (startedMs >= window.sinceMs) window.spentUsd += options.costUsd;
    }
  }

  /** Forgets every window (after a re-price): each is read again when next asked for. */
  clear(): void {
    this.windows.clear();
  }

  /** The key's windows still fresh at `now`; stale ones are dropped. */
  private fresh(keyId: string, now: number): SpendWindow[] {
    const windows = this.windows.get(keyId);
    if (!windows) return [];
    const kept = windows.filter((window) => now - window.readAtMs < this.refreshMs);
    if (kept.length === windows.length) return windows;
    if (kept.length === 0) this.windows.delete(keyId);
    else this.windows.set(keyId, kept);
    return kept;
  }
}
