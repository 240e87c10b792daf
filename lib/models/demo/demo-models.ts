/**
 * The demo models and their pacing, as plain data: the page checks a `demo:` name against
 * this list without loading the simulation itself.
 */
export const DEMO_PACING: Record<string, { ttftMs: number; tokensPerSecond: number }> = {
  chat: { ttftMs: 300, tokensPerSecond: 60 },
  fast: { ttftMs: 20, tokensPerSecond: 400 },
  slow: { ttftMs: 900, tokensPerSecond: 15 },
  instant: { ttftMs: 0, tokensPerSecond: 0 },
};

export const DEMO_MODEL_IDS = Object.keys(DEMO_PACING);
