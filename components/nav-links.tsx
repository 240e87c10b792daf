"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

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

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {LINKS.map((link) => {
        const current = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            data-testid={`nav-${link.label.toLowerCase().replaceAll(" ", "-")}`}
            className={`rounded px-2 py-1 ${current ? "bg-raised font-medium shadow-sm" : "text-muted hover:text-foreground"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
