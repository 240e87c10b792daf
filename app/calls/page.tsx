/**
 * `/calls`: every recorded call — playground, evaluation, judge, gateway — newest first,
 * filtered by source, model, status, key, tag and time, searchable by text. The filters are a
 * plain GET form over the same parameters as `GET /api/calls`, read on the server.
 */
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { callListQuerySchema } from "@/lib/calls/call-list-query";
import { type CallPage, listCalls } from "@/lib/db/call-queries";
import { InvalidCursorError } from "@/lib/db/queries";
import { CALL_SOURCES } from "@/lib/db/schema";
import { waitForRecording } from "@/lib/tracing";
import { callFilterValues, callsHref, dayToInstant } from "@/lib/ui/calls-explorer";
import { formatMilliseconds, formatUsd } from "@/lib/ui/metrics";

export const dynamic = "force-dynamic";
export const metadata = { title: "Calls — Locus Playground" };

const PAGE_SIZE = 50;
const STATUSES = ["ok", "error", "cancelled", "interrupted", "running"] as const;
const INPUT = "h-8 rounded-md border border-line bg-raised px-1.5 text-[13px] text-foreground";
const LABEL = "flex flex-col gap-0.5 text-[11px] text-muted";

const STATUS_STYLES: Record<string, string> = {
  ok: "text-foreground",
  error: "text-danger",
  interrupted: "text-danger",
  cancelled: "text-muted",
  running: "text-accent",
};

function single(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export default async function CallsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  // A call just answered is listed finished (or the page shows what is recorded so far).
  await waitForRecording();
  const values = callFilterValues(parameters);
  const cursor = single(parameters.cursor);
  const parsed = callListQuerySchema.safeParse({
    ...values,
    from: dayToInstant(values.from, false),
    to: dayToInstant(values.to, true),
    limit: PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
  });
  let page: CallPage = { calls: [], nextCursor: null };
  let notice: string | null = null;
  if (!parsed.success) {
    notice = `These filters cannot be used: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}.`;
  } else {
    try {
      page = listCalls(parsed.data);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      notice = "That page link is no longer valid; showing the newest calls.";
      page = listCalls({ ...parsed.data, cursor: null });
    }
  }
  const filtered = Object.keys(values).length > 0;

  return (
    <main
      className="mx-auto w-full max-w-7xl flex-1 overflow-y-auto px-4 py-4"
      data-testid="calls-page"
    >
      <h1 className="mb-3 text-base font-semibold">Calls</h1>
      <form
        method="get"
        action="/calls"
        className="mb-3 flex flex-wrap items-end gap-2"
        data-testid="calls-filters"
      >
        <label className={LABEL}>
          Source
          <select
            name="source"
            defaultValue={values.source ?? ""}
            className={INPUT}
            data-testid="calls-source"
          >
            <option value="">All</option>
            {CALL_SOURCES.map((source) => (
              <option key={source} value={source}>
                {source}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Status
          <select
            name="status"
            defaultValue={values.status ?? ""}
            className={INPUT}
            data-testid="calls-status"
          >
            <option value="">All</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Model
          <input
            name="model"
            defaultValue={values.model ?? ""}
            placeholder="provider:model"
            className={`${INPUT} w-56 font-mono`}
            data-testid="calls-model"
          />
        </label>
        <label className={LABEL}>
          Key
          <input
            name="key"
            defaultValue={values.key ?? ""}
            placeholder="key name"
            className={`${INPUT} w-32`}
            data-testid="calls-key"
          />
        </label>
        <label className={LABEL}>
          Tag
          <input
            name="tag"
            defaultValue={values.tag ?? ""}
            className={`${INPUT} w-28`}
            data-testid="calls-tag"
          />
        </label>
        <label className={LABEL}>
          From (UTC)
          <input
            type="date"
            name="from"
            defaultValue={values.from ?? ""}
            className={INPUT}
            data-testid="calls-from"
          />
        </label>
        <label className={LABEL}>
          To (UTC)
          <input
            type="date"
            name="to"
            defaultValue={values.to ?? ""}
            className={INPUT}
            data-testid="calls-to"
          />
        </label>
        <label className={LABEL}>
          Text
          <input
            type="search"
            name="search"
            defaultValue={values.search ?? ""}
            placeholder="prompt, answer or model…"
            className={`${INPUT} w-56`}
            data-testid="calls-search"
          />
        </label>
        <button
          type="submit"
          className="h-8 rounded-md border border-line bg-raised px-3 hover:bg-panel"
          data-testid="calls-apply"
        >
          Filter
        </button>
        {filtered ? (
          <Link
            href="/calls"
            className="h-8 leading-8 text-accent hover:underline"
            data-testid="calls-clear"
          >
            Clear
          </Link>
        ) : null}
      </form>
      {notice ? (
        <p className="mb-2 text-danger" role="alert" data-testid="calls-notice">
          {notice}
        </p>
      ) : null}
      {page.calls.length === 0 ? (
        <p data-testid="calls-empty" className="py-10 text-center text-muted">
          {filtered ? "No call matches these filters." : "No calls yet."}
        </p>
      ) : (
        <table className="w-full table-fixed border-collapse text-left" data-testid="calls-table">
          <thead className="text-[11px] uppercase tracking-wide text-muted">
            <tr className="border-b border-line">
              <th className="w-40 py-1.5 font-medium">When</th>
              <th className="w-24 py-1.5 font-medium">Source</th>
              <th className="w-60 py-1.5 font-medium">Model</th>
              <th className="py-1.5 font-medium">Prompt</th>
              <th className="w-36 py-1.5 font-medium">Key · tags</th>
              <th className="w-20 py-1.5 font-medium">Status</th>
              <th className="w-20 py-1.5 text-right font-medium">Duration</th>
              <th className="w-24 py-1.5 text-right font-medium">Cost</th>
            </tr>
          </thead>
          <tbody>
            {page.calls.map((call) => (
              <tr
                key={call.callId}
                data-testid="call-row"
                data-call-id={call.callId}
                data-source={call.source}
                className="border-b border-line align-top hover:bg-panel"
              >
                <td className="py-2 pr-2 text-muted">
                  <LocalTime iso={call.startedAt} />
                </td>
                <td className="py-2 pr-2">
                  <Link
                    href={callsHref(values, { source: call.source })}
                    className="hover:underline"
                  >
                    {call.source}
                  </Link>
                </td>
                <td className="truncate py-2 pr-2 font-mono text-[12px]" title={call.model}>
                  {call.model}
                </td>
                <td className="py-2 pr-2">
                  <Link
                    href={`/calls/${call.callId}`}
                    className="line-clamp-2 hover:underline"
                    data-testid="call-link"
                  >
                    {call.title || "(no prompt)"}
                  </Link>
                </td>
                <td className="py-2 pr-2 text-[12px]">
                  {call.keyName ? (
                    <Link
                      href={callsHref(values, { key: call.keyName })}
                      className="hover:underline"
                      data-testid="call-key"
                    >
                      {call.keyName}
                    </Link>
                  ) : null}
                  {call.tags.map((tag) => (
                    <Link
                      key={tag}
                      href={callsHref(values, { tag })}
                      className="ml-1 rounded border border-line px-1 text-[11px] text-muted hover:text-foreground"
                    >
                      {tag}
                    </Link>
                  ))}
                </td>
                <td
                  className={`py-2 pr-2 ${STATUS_STYLES[call.status] ?? ""}`}
                  data-testid="call-status"
                >
                  {call.status}
                </td>
                <td className="py-2 pr-2 text-right font-mono tabular-nums">
                  {formatMilliseconds(call.durationMs)}
                </td>
                <td className="py-2 text-right font-mono tabular-nums">
                  {call.costUsd === null ? (
                    <span className="text-muted">{call.pricingStatus ?? "—"}</span>
                  ) : (
                    formatUsd(call.costUsd)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="mt-3 flex gap-3" aria-label="Pages">
        {cursor ? (
          <Link href={callsHref(values)} className="text-accent hover:underline">
            ← Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            data-testid="calls-older"
            href={callsHref(values, { cursor: page.nextCursor })}
            className="text-accent hover:underline"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </main>
  );
}
