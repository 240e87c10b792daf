import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { RecordingStatus } from "@/components/recording-status";
import { SiteHeader } from "@/components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: "Locus Playground",
  description: "Compare language models side by side: live output, timings, tokens and cost.",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

/**
 * Runs before first paint so a dark-theme reader never sees a white flash: the stored choice,
 * else the system preference.
 */
const THEME_SCRIPT = `try{var t=localStorage.getItem("locus-theme");if(t!=="light"&&t!=="dark"){t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.classList.toggle("dark",t==="dark")}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no data from users or models. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="flex h-dvh flex-col bg-background font-sans text-[13px] text-foreground antialiased">
        <SiteHeader />
        <RecordingStatus />
        <div className="flex min-h-0 flex-1 flex-col">{children}</div>
      </body>
    </html>
  );
}
