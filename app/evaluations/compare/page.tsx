/**
 * `/evaluations/compare?before=…&after=…`: two evaluations of the same test set, row by row for
 * each model both ran; rows that regressed or improved are marked and listed first.
 */
import Link from "next/link";
import type { ReactNode } from "react";
import { NotFoundError } from "@/lib/errors";
import { getEvaluationDetail } from "@/lib/evaluations/evaluation-service";
import { waitForRecording } from "@/lib/tracing";
import { type CellVerdict, compareEvaluations } from "@/lib/ui/evaluation-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Compare evaluations — Locus Playground" };

const CHANGE_ORDER = { regressed: 0, improved: 1, unchanged: 2 } as const;
const CHANGE_STYLES = {
  regressed: "bg-danger-surface text-danger",
  improved: "bg-added text-added-foreground",
  unchanged: "text-muted",
} as const;

function detailOrNull(evaluationId: string | undefined) {
  if (!evaluationId) return null;
  try {
    return getEvaluationDetail({ evaluationId, limit: 20_000 });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

function Verdict({ verdict }: { verdict: CellVerdict }) {
  return <span className={verdict === "pass" ? "" : "text-danger"}>{verdict}</span>;
}

export default async function CompareEvaluationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const single = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value[0] : value;
  await waitForRecording();
  const before = detailOrNull(single(query.before));
  const after = detailOrNull(single(query.after));

  let body: ReactNode;
  if (!before || !after) {
    body = (
      <p className="text-danger" data-testid="eval-compare-error">
        {!before ? "The earlier evaluation" : "The later evaluation"} does not exist.
      </p>
    );
  } else if (before.datasetId !== after.datasetId) {
    body = (
      <p className="text-danger" data-testid="eval-compare-error">
        These evaluations ran on different test sets, so their rows cannot be compared.
      </p>
    );
  } else {
    const result = compareEvaluations(before, after);
    const rows = [...result.rows].sort(
      (left, right) =>
        CHANGE_ORDER[left.change] - CHANGE_ORDER[right.change] || left.row - right.row,
    );
    body =
      result.pairs.length === 0 ? (
        <p className="text-danger" data-testid="eval-compare-error">
          No model ran in both evaluations.
        </p>
      ) : (
        <>
          <p className="mb-3 flex gap-3 text-[12px]" data-testid="eval-compare-counts">
            <span className="text-danger">
              <strong data-testid="eval-regressed-count">{result.counts.regressed}</strong>{" "}
              regressed
            </span>
            <span>
              <strong data-testid="eval-improved-count">{result.counts.improved}</strong> improved
            </span>
            <span className="text-muted">{result.counts.unchanged} unchanged</span>
          </p>
          <div className="overflow-x-auto rounded-lg border border-line">
            <table
              className="w-full border-collapse text-left text-[12px]"
              data-testid="eval-compare"
            >
              <thead className="bg-panel text-[11px] uppercase tracking-wide text-muted">
                <tr>
                  <th className="px-2 py-1">#</th>
                  <th className="px-2 py-1">Change</th>
                  <th className="px-2 py-1">Prompt (later)</th>
                  {result.pairs.map((pair) => (
                    <th key={`${pair.before}-${pair.after}`} className="px-2 py-1">
                      {pair.model}: before → after
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr
                    key={row.row}
                    className="border-t border-line"
                    data-testid="eval-compare-row"
                    data-row={row.row}
                    data-change={row.change}
                  >
                    <td className="px-2 py-1 font-mono text-muted">{row.row + 1}</td>
                    <td className="px-2 py-1">
                      <span className={`rounded px-1 font-medium ${CHANGE_STYLES[row.change]}`}>
                        {row.change}
                      </span>
                    </td>
                    <td className="max-w-md truncate px-2 py-1" title={row.prompt}>
                      {row.prompt}
                    </td>
                    {row.targets.map((target, index) => (
                      <td
                        // biome-ignore lint/suspicious/noArrayIndexKey: one per paired target.
                        key={index}
                        className="px-2 py-1"
                        data-change={target.change ?? "unknown"}
                      >
                        <Verdict verdict={target.before} /> → <Verdict verdict={target.after} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      );
  }

  return (
    <main className="mx-auto w-full max-w-6xl flex-1 overflow-y-auto px-4 py-4">
      <p className="mb-1 text-[12px] text-muted">
        <Link href="/evaluations" className="hover:underline">
          Evaluations
        </Link>
      </p>
      <h1 className="mb-1 text-base font-semibold">Compare evaluations</h1>
      {before && after ? (
        <p className="mb-3 text-[12px] text-muted">
          Before:{" "}
          <Link href={`/evaluations/${before.evaluationId}`} className="underline">
            v{before.version} · {before.targets.map((target) => target.model).join(", ")}
          </Link>{" "}
          · After:{" "}
          <Link href={`/evaluations/${after.evaluationId}`} className="underline">
            v{after.version} · {after.targets.map((target) => target.model).join(", ")}
          </Link>
          . A row passes when every sample of it passes; models are paired by name.
        </p>
      ) : null}
      {body}
    </main>
  );
}
