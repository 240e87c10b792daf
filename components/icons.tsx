/**
 * A handful of line icons (24-unit grid, currentColor) so the toolbar needs no icon library.
 */
import type { ReactNode } from "react";

const PATHS = {
  x: "M6 6l12 12M18 6L6 18",
  plus: "M12 5v14M5 12h14",
  left: "M15 18l-6-6 6-6",
  right: "M9 18l6-6-6-6",
  copy: "M9 9h10v10H9zM5 15V5h10",
  maximise: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  minimise: "M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5",
  retry: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4",
  inspect: "M8 7l-5 5 5 5M16 7l5 5-5 5",
  pin: "M9 4h6M10 4v6l-3 4h10l-3-4V4M12 14v6",
  sliders: "M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4",
  branch: "M6 4v8a4 4 0 0 0 4 4h8M14 12l4 4-4 4",
  duplicate: "M8 8h12v12H8zM4 16V4h12",
  stop: "M7 7h10v10H7z",
  play: "M7 5l12 7-12 7z",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  check: "M5 12l5 5 9-10",
  blind:
    "M3 3l18 18M10.6 6.1A9.8 9.8 0 0 1 12 6c5 0 9 6 9 6a16 16 0 0 1-2.6 3.2M6.6 6.6C4.3 8.2 3 12 3 12s4 6 9 6a8.9 8.9 0 0 0 4.2-1.1M9.9 9.9a3 3 0 0 0 4.2 4.2",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  image: "M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15 9.5a1.5 1.5 0 1 0 0-.01",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }): ReactNode {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={className ?? "size-3.5"}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
