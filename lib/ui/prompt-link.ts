/**
 * A saved prompt version as the playground's URL setup: its system prompt, template (variables
 * and all), tools and output schema, with the playground's default columns.
 */
import type { ResponseFormat, ToolDefinition } from "@/lib/models/types";
import { DEFAULT_MODELS, encodeSetup } from "./setup";

export interface PromptVersionForLink {
  system: string | null;
  template: string;
  tools: ToolDefinition[] | null;
  responseFormat: ResponseFormat | null;
}

export function playgroundLinkForVersion(version: PromptVersionForLink): string {
  const schema =
    version.responseFormat?.type === "json_schema"
      ? JSON.stringify(version.responseFormat.json_schema.schema, null, 2)
      : "";
  return `/?${encodeSetup({
    system: version.system ?? "",
    prompt: version.template,
    tools: version.tools && version.tools.length > 0 ? JSON.stringify(version.tools, null, 2) : "",
    schema,
    columns: DEFAULT_MODELS.map((model, index) => ({
      id: `column-${index + 1}`,
      model,
      params: {},
      system: null,
    })),
  })}`;
}
