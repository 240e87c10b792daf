import { randomUUID } from "node:crypto";
import { decodeToolArguments } from "../tool-arguments";
import type { ToolCall } from "../types";

/**
 * Ollama sends no tool-call ids, so we make them. locus used `call_<name>`, which collides
 * when a model calls one tool twice; ours add the call's position in the answer and a random
 * suffix per answer, so ids are unique within an answer and across answers of a conversation.
 */
export function createOllamaToolCallReader(): (toolCall: {
  function: { name: string; arguments?: unknown };
}) => ToolCall {
  const answerSuffix = randomUUID().replace(/-/g, "").slice(0, 8);
  let index = 0;
  return (toolCall) => {
    const name = toolCall.function.name;
    const safeName = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 48);
    const id = `call_${safeName}_${index}_${answerSuffix}`;
    index += 1;
    return { id, name, arguments: decodeToolArguments(toolCall.function.arguments) };
  };
}
