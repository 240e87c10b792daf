/** `DELETE /api/aliases/:alias`. */

import { deleteModelAlias } from "@/lib/db/gateway-key-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { NotFoundError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export async function DELETE(
  _request: Request,
  context: { params: Promise<{ alias: string }> },
): Promise<Response> {
  try {
    const { alias } = await context.params;
    if (!(await writeOrRefuse(() => deleteModelAlias({ alias }), "the deletion")))
      throw new NotFoundError(`no alias ${alias}`);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, POST, PUT, PATCH } = otherMethods(["DELETE"]);
