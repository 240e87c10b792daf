/**
 * zod schemas for the chat-completions responses we read. The SDK types them but does not
 * check them, and OpenAI-compatible servers (OCI, vLLM, Gemini) differ in what they omit:
 * `choices` may be empty, null or missing on the usage chunk, `delta` may be null, and tool-call
 * arguments may arrive as an object instead of a JSON string. Unknown keys are ignored.
 */
import { z } from "zod";

const toolArgumentsSchema = z.union([z.string(), z.record(z.string(), z.unknown())]).nullish();

export const openAIToolCallDeltaSchema = z.object({
  index: z.number().int().nonnegative().nullish(),
  id: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: toolArgumentsSchema }).nullish(),
});

export type OpenAIToolCallDelta = z.infer<typeof openAIToolCallDeltaSchema>;

export const openAIChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            // Not OpenAI's: OCI and many OpenAI-compatible servers stream reasoning text here.
            reasoning_content: z.string().nullish(),
            tool_calls: z.array(openAIToolCallDeltaSchema).nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  /** The model that answered, as the server names it (a dated snapshot, say). */
  model: z.string().nullish(),
  usage: z.unknown().optional(),
});

export type OpenAIChunk = z.infer<typeof openAIChunkSchema>;

export const openAICompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  id: z.string().nullish(),
                  type: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: toolArgumentsSchema })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z.unknown().optional(),
});
