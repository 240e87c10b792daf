/** True when `.next/BUILD_ID` is newer than every source file that goes into the build. */
export function buildIsCurrent(): boolean;
/** Runs `next build` when the build is missing or stale; false when the build failed. */
export function buildIfNeeded(): boolean;
