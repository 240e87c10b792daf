/** `/prompts`: saved prompts, newest first, and a form to save a new one. */
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PromptEditor } from "@/components/prompts/prompt-editor";
import { listPrompts } from "@/lib/db/prompt-queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Prompts — Locus Playground" };

export default function PromptsPage() {
  const prompts = listPrompts();
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 overflow-y-auto px-4 py-4">
      <h1 className="mb-3 text-base font-semibold">Prompts</h1>
      {prompts.length === 0 ? (
        <p className="mb-4 text-muted" data-testid="prompts-empty">
          No saved prompts yet. Save one below, or from the playground.
        </p>
      ) : (
        <ul
          className="mb-4 divide-y divide-line rounded-lg border border-line"
          data-testid="prompts-list"
        >
          {prompts.map((prompt) => (
            <li key={prompt.promptId} className="flex items-center gap-3 px-3 py-2">
              <Link href={`/prompts/${prompt.promptId}`} className="font-medium hover:underline">
                {prompt.name}
              </Link>
              <span className="text-[12px] text-muted">v{prompt.latestVersion}</span>
              <span className="ml-auto text-[12px] text-muted">
                <LocalTime iso={prompt.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2 className="mb-2 text-sm font-semibold">New prompt</h2>
      <PromptEditor />
    </main>
  );
}
