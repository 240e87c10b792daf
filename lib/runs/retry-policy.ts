/**
 * The one retry policy of a playground call. The SDKs' own retries are off (`maxRetries: 0`):
 * a retry they make is invisible — the column sat silent for ~40 s behind a 429 — so we make
 * them here, where the run stream can say `call-retry` before each wait.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included; 1 turns retrying off. */
  maxAttempts: number;
  /** Backoff when the provider names no delay: base × 2^(retry − 1). */
  baseDelayMs: number;
  /**
   * The longest wait we accept: a `retry-after` above it fails the call at once (with the
   * delay in its error) rather than leaving the column waiting for minutes.
   */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/**
 * How long to wait before the next attempt after attempt `attempt` (1-based) failed, or `null`
 * when the call should fail now: the error is not retryable, attempts are used up, or the
 * provider asks for a longer wait than the policy accepts.
 */
export function retryDelayMs(options: {
  policy: RetryPolicy;
  attempt: number;
  error: { retryable: boolean; retryAfterMs: number | null };
}): number | null {
  const { policy, attempt, error } = options;
  if (!error.retryable || attempt >= policy.maxAttempts) return null;
  if (error.retryAfterMs !== null) {
    return error.retryAfterMs > policy.maxDelayMs ? null : error.retryAfterMs;
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}
