/**
 * What a column says while the server waits to retry its call (`call-retry`): the reason,
 * the countdown and which attempt comes next — "rate limited — retrying in 20 s (attempt 2
 * of 3)" — instead of sitting silent.
 */
import { errorHeadline } from "./call-error";
import type { TurnRetry } from "./playground-state";

/** Whole seconds left, rounded up, so "in 1 s" shows until the retry starts. */
export function secondsUntil(retryAt: number, now: number): number {
  return Math.max(0, Math.ceil((retryAt - now) / 1000));
}

export function retryNote(retry: TurnRetry, now: number): string {
  const seconds = secondsUntil(retry.retryAt, now);
  const when = seconds > 0 ? `retrying in ${seconds} s` : "retrying now";
  return `${errorHeadline(retry.error.code)} — ${when} (attempt ${retry.attempt} of ${retry.maxAttempts})`;
}
