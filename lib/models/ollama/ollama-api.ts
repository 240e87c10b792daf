/**
 * The parts of Ollama's `/api/chat` and `/api/tags` answers we read. The SDK declares types
 * but validates nothing, so each object is checked here; unknown fields are kept (loose).
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
import { z } from "zod";

const ollamaToolCallSchema = z.looseObject({
  function: z.looseObject({
    name: z.string(),
    /** An object on current servers; some models' templates produce a JSON string. */
    arguments: z.unknown().optional(),
  }),
});

/** One NDJSON line of a streamed chat, or the whole body of a non-streamed one. */
export const ollamaChatChunkSchema = z.looseObject({
  model: z.string().optional(),
  message: z
    .looseObject({
      role: z.string().optional(),
      content: z.string().nullish(),
      thinking: z.string().nullish(),
      tool_calls: z.array(ollamaToolCallSchema).nullish(),
    })
    .optional(),
  done: z.boolean().optional(),
  done_reason: z.string().nullish(),
});

export type OllamaChatChunk = z.infer<typeof ollamaChatChunkSchema>;

export const ollamaTagsSchema = z.looseObject({
  models: z.array(z.looseObject({ name: z.string().optional(), model: z.string().optional() })),
});

/**
 * ollama-js `ResponseError` (thrown for a non-2xx answer). The class is not exported by the
 * package, so it is recognized by shape: its name and numeric `status_code`.
 */
export const ollamaResponseErrorSchema = z.object({
  name: z.literal("ResponseError"),
  status_code: z.number().int(),
  error: z.unknown(),
});
