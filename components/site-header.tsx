import Link from "next/link";
import { LogoutButton } from "./logout-button";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";

export function SiteHeader() {
  return (
    <header className="relative flex h-11 shrink-0 items-center gap-2 border-b border-line bg-panel px-3 sm:gap-4 sm:px-4">
      <Link href="/" className="shrink-0 font-semibold tracking-tight">
        Locus Playground
      </Link>
      <NavLinks />
      <div className="ml-auto flex shrink-0 items-center gap-1">
        <ThemeToggle />
        <LogoutButton />
      </div>
    </header>
  );
}
