/**
 * `/evaluations/:id`: progress (live while running), cancel or resume, the per-target summary,
 * the quality-against-cost-and-latency chart, and the rows × targets grid; CSV export and the
 * comparison with another evaluation of the same test set.
 */
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvaluationResults } from "@/components/evaluations/evaluation-results";
import { getDatasetById } from "@/lib/db/dataset-queries";
import { getPromptById } from "@/lib/db/prompt-queries";
import { NotFoundError } from "@/lib/errors";
import { getEvaluationDetail, listEvaluationItems } from "@/lib/evaluations/evaluation-service";
import { waitForRecording } from "@/lib/tracing";

export const dynamic = "force-dynamic";
export const metadata = { title: "Evaluation — Locus Playground" };

function detailOf(evaluationId: string) {
  try {
    return getEvaluationDetail({ evaluationId, limit: 20_000 });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function EvaluationPage({
  params,
}: {
  params: Promise<{ evaluationId: string }>;
}) {
  const { evaluationId } = await params;
  await waitForRecording();
  const detail = detailOf(evaluationId);
  const prompt = getPromptById({ promptId: detail.promptId });
  const dataset = getDatasetById({ datasetId: detail.datasetId });
  const others = listEvaluationItems()
    .evaluations.filter(
      (other) => other.datasetId === detail.datasetId && other.evaluationId !== evaluationId,
    )
    .map((other) => ({
      evaluationId: other.evaluationId,
      label: `v${other.version} · ${other.models.join(", ")} · ${other.createdAt.slice(0, 16).replace("T", " ")}`,
    }));
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 overflow-y-auto px-4 py-4">
      <p className="mb-1 text-[12px] text-muted">
        <Link href="/evaluations" className="hover:underline">
          Evaluations
        </Link>
      </p>
      <h1 className="mb-3 text-base font-semibold" data-testid="eval-title">
        <Link href={`/prompts/${detail.promptId}`} className="hover:underline">
          {prompt?.name ?? detail.promptId}
        </Link>{" "}
        v{detail.version} on{" "}
        <Link href={`/datasets/${detail.datasetId}`} className="hover:underline">
          {dataset?.name ?? detail.datasetId}
        </Link>
      </h1>
      <EvaluationResults evaluationId={evaluationId} initial={detail} others={others} />
    </main>
  );
}
