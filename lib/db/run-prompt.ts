/**
 * What a run asked: the last user message it sent (the prompt of that turn) and which turn of
 * its conversation that is. Read from the recorded messages, so runs recorded before these
 * fields existed read the same way.
 */
import type { RecordedMessage } from "./schema";

/** As long as a run list shows; the full text is on the run's page. */
export const PROMPT_LENGTH = 120;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .flatMap((part: unknown) => {
      const value = part as { type?: unknown; text?: unknown };
      return value?.type === "text" && typeof value.text === "string" ? [value.text] : [];
    })
    .join("\n");
}

function hasImage(content: unknown): boolean {
  return (
    Array.isArray(content) &&
    content.some((part: unknown) => (part as { type?: unknown })?.type === "image")
  );
}

/**
 * `prompt`: the last user message's text, on one line and shortened ("(image)" for an image
 * alone); `turn`: how many user messages the run sent, so a follow-up is turn 2 (0 when none).
 */
export function runPromptOf(messages: readonly RecordedMessage[] | readonly unknown[]): {
  prompt: string;
  turn: number;
} {
  let turn = 0;
  let last: unknown = null;
  for (const message of messages) {
    const value = message as { role?: unknown; content?: unknown };
    if (value?.role !== "user") continue;
    turn += 1;
    last = value.content;
  }
  const text = textOf(last).replace(/\s+/g, " ").trim();
  const prompt =
    text === "" && hasImage(last)
      ? "(image)"
      : text.length > PROMPT_LENGTH
        ? `${text.slice(0, PROMPT_LENGTH - 1)}…`
        : text;
  return { prompt, turn };
}
