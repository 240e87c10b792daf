/** `DELETE /api/keys/:keyId` revokes a key; the next `/v1` request with it is refused. */

import { revokeGatewayKey } from "@/lib/db/gateway-key-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { NotFoundError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export async function DELETE(
  _request: Request,
  context: { params: Promise<{ keyId: string }> },
): Promise<Response> {
  try {
    const { keyId } = await context.params;
    if (!(await writeOrRefuse(() => revokeGatewayKey({ keyId }), "the revocation")))
      throw new NotFoundError(`no key ${keyId}`);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, POST, PUT, PATCH } = otherMethods(["DELETE"]);
