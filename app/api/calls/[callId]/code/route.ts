/**
 * `GET /api/calls/:callId/code?lang=curl|python|typescript|locus`: code that makes the same
 * request again, as `text/plain`. Keys appear as environment variable references only.
 */
import { z } from "zod";
import { CODE_LANGUAGES, generateCallCode } from "@/lib/calls/call-code";
import { getCallCodeSource } from "@/lib/calls/call-code-source";
import { InvalidInputError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { getImageStore } from "@/lib/images";
import { redactSecrets } from "@/lib/models/secrets";

const querySchema = z.strictObject({ lang: z.enum(CODE_LANGUAGES).default("curl") });

export async function GET(
  request: Request,
  context: { params: Promise<{ callId: string }> },
): Promise<Response> {
  try {
    const { callId } = await context.params;
    const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) {
      throw new InvalidInputError({
        message: `lang must be one of ${CODE_LANGUAGES.join(", ")}`,
      });
    }
    const source = getCallCodeSource({
      callId,
      readImage: (imageId) => getImageStore().read(imageId),
    });
    // The record never holds a key; redaction is the belt to that pair of braces.
    const code = redactSecrets(generateCallCode(source, query.data.lang));
    return new Response(code, {
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
