/**
 * The bodies of `POST /api/prompts` and `POST /api/prompts/:id/versions`: a prompt is the
 * playground's setup — system prompt, a `{{variables}}` template, tools and output schema.
 */
import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { responseFormatSchema, toolDefinitionSchema } from "@/lib/models/call-options";
import { formatZodIssues } from "@/lib/zod-issues";

const versionFields = {
  system: z.string().max(200_000).optional(),
  template: z
    .string()
    .max(200_000)
    .refine((template) => template.trim() !== "", "the template may not be empty"),
  tools: z.array(toolDefinitionSchema).max(128).optional(),
  responseFormat: responseFormatSchema.optional(),
};

export const promptVersionSchema = z.strictObject(versionFields);
export const newPromptSchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(200),
  ...versionFields,
});

export type PromptVersionInput = z.infer<typeof promptVersionSchema>;
export type NewPromptInput = z.infer<typeof newPromptSchema>;

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new InvalidInputError({ message: formatZodIssues(result.error) });
  return result.data;
}

export function parseNewPrompt(body: unknown): NewPromptInput {
  return parseWith(newPromptSchema, body);
}

export function parsePromptVersion(body: unknown): PromptVersionInput {
  return parseWith(promptVersionSchema, body);
}
