/** `/evaluations/new`: choose a prompt version, a test set, targets, samples and assertions. */
import Link from "next/link";
import { EvaluationForm } from "@/components/evaluations/evaluation-form";
import { listDatasets } from "@/lib/db/dataset-queries";
import { listPrompts } from "@/lib/db/prompt-queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "New evaluation — Locus Playground" };

export default async function NewEvaluationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const single = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value) ?? "";
  const prompts = listPrompts();
  const datasets = listDatasets();
  return (
    <main className="mx-auto w-full max-w-4xl flex-1 overflow-y-auto px-4 py-4">
      <p className="mb-1 text-[12px] text-muted">
        <Link href="/evaluations" className="hover:underline">
          Evaluations
        </Link>
      </p>
      <h1 className="mb-3 text-base font-semibold">New evaluation</h1>
      {prompts.length === 0 || datasets.length === 0 ? (
        <p className="text-muted" data-testid="eval-form-missing">
          An evaluation needs a saved prompt (
          <Link href="/prompts" className="underline">
            Prompts
          </Link>
          ) and a test set (
          <Link href="/datasets" className="underline">
            Test sets
          </Link>
          ).
        </p>
      ) : (
        <EvaluationForm
          prompts={prompts.map((prompt) => ({
            promptId: prompt.promptId,
            name: prompt.name,
            latestVersion: prompt.latestVersion,
          }))}
          datasets={datasets.map((dataset) => ({
            datasetId: dataset.datasetId,
            name: dataset.name,
            rows: dataset.rows,
          }))}
          initialPromptId={single(query.promptId)}
          initialDatasetId={single(query.datasetId)}
        />
      )}
    </main>
  );
}
