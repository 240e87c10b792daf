/** `/datasets/[datasetId]`: a test set's rows, edited in place, and its export as CSV or JSONL. */
import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetEditor } from "@/components/datasets/dataset-editor";
import { getDatasetById } from "@/lib/db/dataset-queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Test set — Locus Playground" };

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const dataset = getDatasetById({ datasetId });
  if (!dataset) notFound();
  return (
    <main className="mx-auto w-full max-w-6xl flex-1 overflow-y-auto px-4 py-4">
      <p className="mb-1 text-[12px] text-muted">
        <Link href="/datasets" className="hover:underline">
          Test sets
        </Link>
      </p>
      <div className="mb-3 flex items-center gap-3">
        <h1 className="text-base font-semibold" data-testid="dataset-title">
          {dataset.name}
        </h1>
        <span className="text-[12px] text-muted">{dataset.rows} rows</span>
        <a
          href={`/api/datasets/${dataset.datasetId}?format=csv`}
          className="ml-auto text-[12px] text-accent hover:underline"
          data-testid="dataset-export-csv"
        >
          Export CSV
        </a>
        <a
          href={`/api/datasets/${dataset.datasetId}?format=jsonl`}
          className="text-[12px] text-accent hover:underline"
        >
          Export JSONL
        </a>
      </div>
      {/* No key: after a save the editor already holds what was saved, and keeps its status. */}
      <DatasetEditor
        datasetId={dataset.datasetId}
        name={dataset.name}
        variables={dataset.variables}
        items={dataset.items}
      />
    </main>
  );
}
