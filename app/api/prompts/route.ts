/** `POST /api/prompts` saves a new prompt as version 1; `GET /api/prompts` lists them, newest first. */

import { insertPrompt, listPrompts } from "@/lib/db/prompt-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { parseNewPrompt } from "@/lib/prompts/prompt-request";
import { newId } from "@/lib/runs/new-id";

export async function POST(request: Request): Promise<Response> {
  try {
    const { name, ...fields } = parseNewPrompt(await readJsonBody(request));
    const saved = await writeOrRefuse(
      () => insertPrompt({ id: newId(), name, fields }),
      "the prompt",
    );
    return Response.json(saved, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export function GET(): Response {
  try {
    return Response.json({ prompts: listPrompts() }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
