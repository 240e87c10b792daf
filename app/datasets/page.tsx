/** `/datasets`: test sets, newest first, and the import of a new one from CSV or JSONL. */
import Link from "next/link";
import { DatasetImportForm } from "@/components/datasets/dataset-import-form";
import { LocalTime } from "@/components/local-time";
import { listDatasets } from "@/lib/db/dataset-queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Test sets — Locus Playground" };

export default function DatasetsPage() {
  const datasets = listDatasets();
  return (
    <main className="mx-auto w-full max-w-5xl flex-1 overflow-y-auto px-4 py-4">
      <h1 className="mb-3 text-base font-semibold">Test sets</h1>
      {datasets.length === 0 ? (
        <p className="mb-4 text-muted" data-testid="datasets-empty">
          No test sets yet. Import a CSV or JSONL file below.
        </p>
      ) : (
        <ul
          className="mb-4 divide-y divide-line rounded-lg border border-line"
          data-testid="datasets-list"
        >
          {datasets.map((dataset) => (
            <li key={dataset.datasetId} className="flex items-center gap-3 px-3 py-2">
              <Link href={`/datasets/${dataset.datasetId}`} className="font-medium hover:underline">
                {dataset.name}
              </Link>
              <span className="text-[12px] text-muted">{dataset.rows} rows</span>
              <span className="ml-auto text-[12px] text-muted">
                <LocalTime iso={dataset.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <DatasetImportForm />
    </main>
  );
}
