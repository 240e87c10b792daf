/**
 * The LLM judge: what it is asked, and how its answer becomes a verdict. The judge scores 1–5
 * against the user's rubric and answers in JSON; an answer without a readable score is a failed
 * judgement (shown as such), never a guessed score.
 */
import type { Message } from "@/lib/models";

export const DEFAULT_PASS_SCORE = 4;

export const JUDGE_SYSTEM_PROMPT = [
  "You are an impartial evaluator. Score the RESPONSE against the RUBRIC on a scale of 1 to 5:",
  "1 = fails the rubric entirely, 3 = partly meets it, 5 = fully meets it.",
  'Answer with JSON only: {"score": <integer 1-5>, "reason": "<one sentence>"}.',
].join("\n");

export function judgeMessages(options: {
  rubric: string;
  prompt: string;
  output: string;
  expected: string | null;
}): Message[] {
  const sections = [
    `<rubric>\n${options.rubric}\n</rubric>`,
    `<prompt>\n${options.prompt}\n</prompt>`,
    ...(options.expected === null ? [] : [`<expected>\n${options.expected}\n</expected>`]),
    `<response>\n${options.output}\n</response>`,
  ];
  return [{ role: "user", content: sections.join("\n\n") }];
}

export interface JudgeVerdict {
  score: number;
  reason: string;
}

function verdictOf(value: unknown): JudgeVerdict | null {
  if (typeof value !== "object" || value === null) return null;
  const { score, reason } = value as { score?: unknown; reason?: unknown };
  const number = typeof score === "string" ? Number(score) : score;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > 5) {
    return null;
  }
  return { score: number, reason: typeof reason === "string" ? reason.trim() : "" };
}

/**
 * Reads the judge's answer: a JSON object, possibly inside a code fence or after some prose
 * (models add both despite being asked not to); failing that, a plain "score: N".
 */
export function parseJudgeVerdict(text: string): JudgeVerdict | null {
  const candidates = [text.trim(), ...[...text.matchAll(/\{[^{}]*\}/g)].map((match) => match[0])];
  for (const candidate of candidates) {
    try {
      const verdict = verdictOf(JSON.parse(candidate));
      if (verdict) return verdict;
    } catch {
      // Not JSON; try the next candidate.
    }
  }
  const plain = /\bscore\b\W{0,3}([1-5])(?!\d|\.\d)/i.exec(text);
  return plain?.[1] ? { score: Number(plain[1]), reason: "" } : null;
}
