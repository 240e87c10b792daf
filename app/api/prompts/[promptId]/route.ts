/** `GET /api/prompts/:promptId`: the prompt with every version, oldest first. */
import { getPromptById } from "@/lib/db/prompt-queries";
import { NotFoundError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export async function GET(
  _request: Request,
  context: { params: Promise<{ promptId: string }> },
): Promise<Response> {
  try {
    const { promptId } = await context.params;
    const prompt = getPromptById({ promptId });
    if (!prompt) throw new NotFoundError(`no prompt ${promptId}`);
    return Response.json(prompt, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
