"use client";

/**
 * Uploads images dropped, pasted or picked into the prompt (`POST /api/images`), once each,
 * after checking type and size here so a refused file is never sent. Uploaded images become
 * the prompt's attachments; what was refused is named until the next attempt.
 */
import { type Dispatch, useCallback, useEffect, useRef, useState } from "react";
import { readApiError } from "@/lib/ui/api-error";
import { attachedImageFrom, sortAttachments } from "@/lib/ui/image-attachments";
import type { PlaygroundAction } from "@/lib/ui/playground-state";

export interface ImageAttachments {
  /** Uploads still in flight; a run waits for them. */
  uploading: number;
  /** Read at the moment of asking (Ctrl+Enter may come before the next render). */
  isUploading: () => boolean;
  problems: string[];
  attach: (files: File[]) => void;
}

async function upload(
  file: File,
): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  const name = file.name === "" ? "The pasted image" : file.name;
  try {
    const response = await fetch("/api/images", {
      method: "POST",
      headers: { "content-type": file.type },
      body: file,
    });
    if (response.ok) return { ok: true, json: await response.json() };
    const error = await readApiError(response);
    return { ok: false, message: `${name} was refused: ${error.message}.` };
  } catch {
    return { ok: false, message: `${name} could not be uploaded (the server did not answer).` };
  }
}

export function useImageAttachments(options: {
  attachedCount: () => number;
  dispatch: Dispatch<PlaygroundAction>;
}): ImageAttachments {
  const { attachedCount, dispatch } = options;
  const [uploading, setUploading] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  // Counted synchronously, so two drops in a row cannot both pass the limit.
  const inFlight = useRef(0);

  const attach = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      const sorted = sortAttachments(files, attachedCount() + inFlight.current);
      setProblems(sorted.problems);
      inFlight.current += sorted.accepted.length;
      setUploading(inFlight.current);
      for (const file of sorted.accepted) {
        void upload(file).then((result) => {
          inFlight.current -= 1;
          setUploading(inFlight.current);
          if (!result.ok) {
            setProblems((shown) => [...shown, result.message]);
            return;
          }
          const image = attachedImageFrom(result.json, file.name);
          if (image) dispatch({ type: "add-attachment", image });
          else
            setProblems((shown) => [
              ...shown,
              `${file.name}: the upload's answer was not understood.`,
            ]);
        });
      }
    },
    [attachedCount, dispatch],
  );

  // A file dropped just beside the prompt box would otherwise replace the page with the image.
  useEffect(() => {
    const hasFiles = (event: DragEvent) =>
      Array.from(event.dataTransfer?.types ?? []).includes("Files");
    const onDragOver = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const onDrop = (event: DragEvent) => {
      // Dropped on the prompt box: already attached there.
      if (!hasFiles(event) || event.defaultPrevented) return;
      event.preventDefault();
      attach(Array.from(event.dataTransfer?.files ?? []));
    };
    window.addEventListener("dragover", onDragOver);
    window.addEventListener("drop", onDrop);
    return () => {
      window.removeEventListener("dragover", onDragOver);
      window.removeEventListener("drop", onDrop);
    };
  }, [attach]);

  const isUploading = useCallback(() => inFlight.current > 0, []);
  return { uploading, isUploading, problems, attach };
}
