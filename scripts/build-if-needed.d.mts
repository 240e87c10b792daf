/** True when the build directory's `BUILD_ID` (`.next/BUILD_ID` unless next.config.mjs says otherwise) is newer than every source file that goes into the build. */
export function buildIsCurrent(): boolean;
/** Runs `next build` when the build is missing or stale; false when the build failed. */
export function buildIfNeeded(): boolean;
