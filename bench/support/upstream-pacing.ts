/** How the benches' fake upstream answers (bench/support/fake-upstream.ts). */
export const TTFT_MS = 30;
export const CHUNK_INTERVAL_MS = 5;
export const CHUNKS = 20;
export const MODEL = "gpt-4o-mini";
export const FAKE_KEY = "sk-bench-not-a-real-key-000000";
