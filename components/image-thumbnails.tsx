/**
 * Images a prompt carried, as small thumbnails linking to the stored image. Display only (no
 * handlers), so the read-only run page can render it on the server too.
 */
import { imageUrl, type TurnImage } from "@/lib/ui/image-attachments";

export function ImageThumbnails({
  images,
  testId = "turn-images",
}: {
  images: readonly TurnImage[];
  testId?: string;
}) {
  if (images.length === 0) return null;
  return (
    <ul data-testid={testId} aria-label="Attached images" className="mt-1 flex flex-wrap gap-1.5">
      {images.map((image) => (
        <li key={image.imageId}>
          <a
            href={imageUrl(image.imageId)}
            target="_blank"
            rel="noopener noreferrer"
            title={image.name || "Open the image"}
          >
            {/* biome-ignore lint/performance/noImgElement: a stored upload, shown as it is; next/image would re-encode it through a loader. */}
            <img
              src={imageUrl(image.imageId)}
              alt={image.name || "attached image"}
              data-testid="turn-image"
              data-image-id={image.imageId}
              loading="lazy"
              className="size-12 rounded border border-line bg-panel object-cover"
            />
          </a>
        </li>
      ))}
    </ul>
  );
}
