/** `POST /api/prompts/:promptId/versions`: saves the next version of a prompt. */

import { insertPromptVersion } from "@/lib/db/prompt-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { NotFoundError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { parsePromptVersion } from "@/lib/prompts/prompt-request";

export async function POST(
  request: Request,
  context: { params: Promise<{ promptId: string }> },
): Promise<Response> {
  try {
    const { promptId } = await context.params;
    const fields = parsePromptVersion(await readJsonBody(request));
    const saved = await writeOrRefuse(
      () => insertPromptVersion({ promptId, fields }),
      "the version",
    );
    if (!saved) throw new NotFoundError(`no prompt ${promptId}`);
    return Response.json(saved, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
