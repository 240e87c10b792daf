import "server-only";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveDatabaseLocation } from "@/lib/db/client";
import { getServerEnvironment } from "@/lib/env";
import { ImageStore } from "./image-store";

export * from "./image-store";

let store: ImageStore | null = null;

/** The app's image store: an `images` folder beside the database file. */
export function getImageStore(): ImageStore {
  if (store) return store;
  const location = resolveDatabaseLocation(getServerEnvironment().DATABASE_URL);
  // An in-memory database keeps nothing; its images go where a restart forgets them too.
  const directory =
    location === ":memory:"
      ? mkdtempSync(path.join(tmpdir(), "locus-images-"))
      : path.join(path.dirname(location), "images");
  store = new ImageStore(directory);
  return store;
}
