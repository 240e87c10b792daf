"use client";

import { useEffect, useState } from "react";
import { Icon } from "./icons";

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The Clipboard API needs a secure context and focus; the selection fallback needs neither.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

export function CopyButton({
  text,
  label = "Copy",
  className,
  testId = "copy-button",
}: {
  text: string | (() => string);
  label?: string;
  className?: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      data-testid={testId}
      aria-label={copied ? "Copied" : label}
      title={label}
      onClick={async () => setCopied(await copyText(typeof text === "function" ? text() : text))}
      className={`inline-flex items-center gap-1 rounded border border-line bg-raised px-1.5 py-0.5 text-[11px] text-muted hover:text-foreground ${className ?? ""}`}
    >
      <Icon name={copied ? "check" : "copy"} className="size-3" />
      <span>{copied ? "Copied" : label}</span>
    </button>
  );
}
