/** `/evaluations`: every evaluation, newest first, with its status and targets; and a new one. */
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { listDatasets } from "@/lib/db/dataset-queries";
import { listPrompts } from "@/lib/db/prompt-queries";
import { listEvaluationItems } from "@/lib/evaluations/evaluation-service";

export const dynamic = "force-dynamic";
export const metadata = { title: "Evaluations — Locus Playground" };

export default function EvaluationsPage() {
  const { evaluations } = listEvaluationItems();
  const prompts = new Map(listPrompts().map((prompt) => [prompt.promptId, prompt.name]));
  const datasets = new Map(listDatasets().map((dataset) => [dataset.datasetId, dataset.name]));
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 overflow-y-auto px-4 py-4">
      <div className="mb-3 flex items-center gap-3">
        <h1 className="text-base font-semibold">Evaluations</h1>
        <Link
          href="/evaluations/new"
          data-testid="eval-new"
          className="ml-auto inline-flex h-8 items-center rounded-md bg-accent px-3 font-medium text-accent-foreground hover:opacity-90"
        >
          New evaluation
        </Link>
      </div>
      <p className="mb-3 text-[12px] text-muted">
        A prompt version run over a test set against several models, each row checked by assertions.
        Open one for its grid, per-model figures and chart; compare two of the same test set from an
        evaluation's page.
      </p>
      {evaluations.length === 0 ? (
        <p className="py-10 text-center text-muted" data-testid="evals-empty">
          No evaluations yet. Save a prompt with variables and import a test set, then start one.
        </p>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line" data-testid="evals-list">
          {evaluations.map((evaluation) => (
            <li
              key={evaluation.evaluationId}
              className="flex flex-wrap items-center gap-3 px-3 py-2"
              data-testid="evals-item"
              data-status={evaluation.status}
            >
              <Link
                href={`/evaluations/${evaluation.evaluationId}`}
                className="font-medium hover:underline"
              >
                {prompts.get(evaluation.promptId) ?? evaluation.promptId} v{evaluation.version}
                {" on "}
                {datasets.get(evaluation.datasetId) ?? evaluation.datasetId}
              </Link>
              <span className="rounded bg-panel px-1.5 text-[11px] uppercase">
                {evaluation.status}
              </span>
              <span className="truncate text-[12px] text-muted">
                {evaluation.models.join(", ")} · {evaluation.cells.toLocaleString("en-US")} cells
              </span>
              <span className="ml-auto text-[12px] text-muted">
                <LocalTime iso={evaluation.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
