"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const LINKS = [
  { href: "/", label: "Compare" },
  { href: "/runs", label: "Runs" },
  { href: "/prompts", label: "Prompts" },
  { href: "/datasets", label: "Test sets" },
  { href: "/evaluations", label: "Evaluations" },
  { href: "/leaderboard", label: "Leaderboard" },
  { href: "/calls", label: "Calls" },
  { href: "/usage", label: "Usage" },
  { href: "/settings/prices", label: "Prices" },
  { href: "/settings/keys", label: "Keys" },
];

const NAV_ID = "main-nav";

/**
 * The main navigation: a row of links on wide screens; below `lg` the same links behind a
 * "Menu" button, opening as a panel under the header. The panel closes on following a link,
 * on Escape (focus back on the button) and on a click elsewhere.
 */
export function NavLinks() {
  const pathname = usePathname();
  // Open only on the page it was opened on: following a link closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const button = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (nav.current?.contains(target) || button.current?.contains(target)) return;
      setOpenOn(null);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        data-testid="nav-menu"
        aria-expanded={open}
        aria-controls={NAV_ID}
        onClick={() => setOpenOn(open ? null : pathname)}
        className="rounded px-2 py-1 text-muted hover:bg-raised hover:text-foreground lg:hidden"
      >
        {open ? "✕ Menu" : "☰ Menu"}
      </button>
      <nav
        ref={nav}
        id={NAV_ID}
        aria-label="Main"
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-40 flex-col gap-1 border-b border-line bg-panel p-2 shadow-lg lg:static lg:flex lg:flex-row lg:items-center lg:border-0 lg:bg-transparent lg:p-0 lg:shadow-none`}
      >
        {LINKS.map((link) => {
          const current = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
          return (
            <Link
              key={link.href}
              href={link.href}
              aria-current={current ? "page" : undefined}
              data-testid={`nav-${link.label.toLowerCase().replaceAll(" ", "-")}`}
              onClick={() => setOpenOn(null)}
              className={`rounded px-2 py-1 ${current ? "bg-raised font-medium shadow-sm" : "text-muted hover:text-foreground"}`}
            >
              {link.label}
            </Link>
          );
        })}
      </nav>
    </>
  );
}
