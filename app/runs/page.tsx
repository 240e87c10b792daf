/**
 * `/runs`: every comparison, newest first, searchable by prompt text and model: the runs one
 * click created in one row, titled by the prompt they sent and its turn. Read on the server
 * straight from the database; paging uses the keyset cursor of `listComparisons`.
 */
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { type ComparisonPage, listComparisons } from "@/lib/db/comparison-queries";
import { InvalidCursorError } from "@/lib/db/queries";
import { formatUsd } from "@/lib/ui/metrics";
import { comparisonRow } from "@/lib/ui/run-history";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs — Locus Playground" };

const PAGE_SIZE = 30;

const STATUS_STYLES: Record<string, string> = {
  ok: "border-line text-foreground",
  error: "border-danger/50 text-danger",
  interrupted: "border-danger/50 text-danger",
  cancelled: "border-line text-muted",
  running: "border-accent/60 text-accent",
};

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.slice(0, 500) ?? "";
}

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  const search = single(parameters.search).trim();
  const cursor = single(parameters.cursor);
  let page: ComparisonPage;
  let cursorRejected = false;
  try {
    page = listComparisons({ limit: PAGE_SIZE, search: search || null, cursor: cursor || null });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    cursorRejected = true;
    page = listComparisons({ limit: PAGE_SIZE, search: search || null });
  }
  const searchQuery = search ? `search=${encodeURIComponent(search)}` : "";

  return (
    <main className="mx-auto w-full max-w-6xl flex-1 overflow-y-auto px-4 py-4">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h1 className="text-base font-semibold">Runs</h1>
        <form method="get" action="/runs" className="ml-auto flex items-center gap-2">
          <input
            type="search"
            name="search"
            defaultValue={search}
            data-testid="runs-search"
            aria-label="Search runs by prompt or model"
            placeholder="Search prompt or model…"
            className="h-8 w-72 rounded-md border border-line bg-raised px-2"
          />
          <button
            type="submit"
            data-testid="runs-search-submit"
            className="h-8 rounded-md border border-line bg-raised px-3 hover:bg-panel"
          >
            Search
          </button>
        </form>
      </div>
      {cursorRejected ? (
        <p className="mb-2 text-muted">
          That page link is no longer valid; showing the newest runs.
        </p>
      ) : null}
      {page.comparisons.length === 0 ? (
        <p data-testid="runs-empty" className="py-10 text-center text-muted">
          {search ? `No run matches “${search}”.` : "No runs yet. Compare some models first."}
        </p>
      ) : (
        <table className="w-full table-fixed border-collapse text-left" data-testid="runs-table">
          <thead className="text-[11px] uppercase tracking-wide text-muted">
            <tr className="border-b border-line">
              <th className="w-44 py-1.5 font-medium">When</th>
              <th className="py-1.5 font-medium">Prompt</th>
              <th className="w-[38%] py-1.5 font-medium">Runs and models</th>
              <th className="w-24 py-1.5 text-right font-medium">Cost</th>
            </tr>
          </thead>
          <tbody>
            {page.comparisons.map(comparisonRow).map((row) => (
              <tr
                key={row.comparisonId}
                data-testid="comparison-row"
                data-comparison-id={row.comparisonId}
                data-run-count={row.runs.length}
                className="border-b border-line align-top hover:bg-panel"
              >
                <td className="py-2 pr-2 text-muted">
                  <LocalTime iso={row.createdAt} />
                </td>
                <td className="py-2 pr-3">
                  <p className="line-clamp-2" data-testid="comparison-prompt">
                    {row.turnLabel ? (
                      <span
                        data-testid="comparison-turn"
                        className="mr-1.5 rounded bg-panel px-1 font-mono text-[11px] text-muted"
                      >
                        {row.turnLabel}
                      </span>
                    ) : null}
                    {row.prompt}
                  </p>
                  <p className="mt-0.5 flex flex-wrap gap-x-3 text-[11px]">
                    <Link
                      href={row.openHref}
                      data-testid="comparison-open"
                      className="text-accent hover:underline"
                    >
                      Open in playground
                    </Link>
                    {row.branchedFromRunId ? (
                      <Link
                        href={`/runs/${encodeURIComponent(row.branchedFromRunId)}`}
                        data-testid="comparison-branched-from"
                        className="text-muted hover:underline"
                      >
                        edited and resent from an earlier run
                      </Link>
                    ) : null}
                  </p>
                </td>
                <td className="py-2 pr-2">
                  <ul className="space-y-1">
                    {row.runs.map((run) => (
                      <li
                        key={run.id}
                        data-testid="run-row"
                        data-run-id={run.id}
                        className="flex flex-wrap items-center gap-1"
                      >
                        <Link
                          href={run.href}
                          className="text-[11px] text-muted hover:underline"
                          data-testid="run-link"
                          title={run.prompt}
                        >
                          {row.runs.length > 1 ? "run" : "open run"}
                        </Link>
                        {run.models.map((call) => (
                          <span
                            key={call.callId}
                            title={call.status}
                            className={`rounded border px-1.5 font-mono text-[11px] ${STATUS_STYLES[call.status] ?? "border-line"}`}
                          >
                            {call.model}
                          </span>
                        ))}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-2 text-right font-mono tabular-nums" data-testid="run-cost">
                  {row.running ? "running" : formatUsd(row.costUsd)}
                  {row.unpricedCalls > 0 ? (
                    <div className="text-[11px] text-muted">{row.unpricedCalls} unpriced</div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="mt-3 flex gap-3" aria-label="Pages">
        {cursor ? (
          <Link
            href={`/runs${searchQuery ? `?${searchQuery}` : ""}`}
            className="text-accent hover:underline"
          >
            ← Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            data-testid="runs-older"
            href={`/runs?${searchQuery ? `${searchQuery}&` : ""}cursor=${encodeURIComponent(page.nextCursor)}`}
            className="text-accent hover:underline"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </main>
  );
}
