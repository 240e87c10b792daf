/**
 * `POST /api/images`: the raw bytes of a PNG, JPEG, WebP or GIF (at most 5 MiB) as the body →
 * `201 { imageId, mediaType, bytes }`. The same bytes always give the same id.
 */
import { errorResponse, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readBodyBytes } from "@/lib/http/read-json";
import { getImageStore, IMAGE_MEDIA_TYPES, isImageMediaType, MAX_IMAGE_BYTES } from "@/lib/images";

export async function POST(request: Request): Promise<Response> {
  try {
    const mediaType =
      (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!isImageMediaType(mediaType)) {
      return errorResponse({
        status: 415,
        code: "unsupported_media_type",
        message: `send the image's bytes with content-type ${IMAGE_MEDIA_TYPES.join(", ")}`,
      });
    }
    const bytes = await readBodyBytes(request, { limitBytes: MAX_IMAGE_BYTES });
    const stored = getImageStore().save(bytes, mediaType);
    return Response.json(stored, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
