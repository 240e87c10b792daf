/** `GET /api/images/:imageId`: the stored bytes, with their media type. */
import { errorResponse } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { getImageStore } from "@/lib/images";

export async function GET(
  _request: Request,
  context: { params: Promise<{ imageId: string }> },
): Promise<Response> {
  const { imageId } = await context.params;
  const image = getImageStore().read(imageId);
  if (!image) {
    return errorResponse({ status: 404, code: "not_found", message: `no image ${imageId}` });
  }
  return new Response(new Uint8Array(image.data), {
    headers: {
      "content-type": image.mediaType,
      // Content-addressed: the bytes behind an id never change.
      "cache-control": "private, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      // An SVG could run script; these are raster formats only, and shown as images, never pages.
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
