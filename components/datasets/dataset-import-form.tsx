"use client";

/** Imports a test set from a CSV or JSONL file; a refused file shows its line and reason. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { readApiError } from "@/lib/ui/api-error";

function contentTypeOf(file: File): string {
  return /\.jsonl$|\.ndjson$/i.test(file.name) ? "application/jsonl" : "text/csv";
}

export function DatasetImportForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload(form: HTMLFormElement) {
    const data = new FormData(form);
    const file = data.get("file");
    const name = String(data.get("name") ?? "").trim();
    if (!(file instanceof File) || file.size === 0) {
      setError("choose a CSV or JSONL file");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/datasets?name=${encodeURIComponent(name || file.name)}`, {
        method: "POST",
        headers: { "content-type": contentTypeOf(file) },
        body: await file.text(),
      });
      if (!response.ok) {
        setError((await readApiError(response)).message);
        return;
      }
      const saved = (await response.json()) as { datasetId: string };
      router.push(`/datasets/${saved.datasetId}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-lg border border-line bg-panel p-3"
      data-testid="dataset-import"
      onSubmit={(event) => {
        event.preventDefault();
        void upload(event.currentTarget);
      }}
    >
      <label className="flex flex-col gap-1 text-[12px] text-muted">
        Name
        <input
          name="name"
          data-testid="dataset-name"
          className="h-8 rounded-md border border-line bg-raised px-2 text-foreground"
        />
      </label>
      <label className="flex flex-col gap-1 text-[12px] text-muted">
        CSV (header row of variable names, optional “expected” column) or JSONL file
        <input
          name="file"
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv"
          data-testid="dataset-file"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        data-testid="dataset-upload"
        className="rounded-md bg-accent px-3 py-1 text-accent-foreground disabled:opacity-60"
      >
        Import
      </button>
      {error ? (
        <p role="alert" className="basis-full text-[12px] text-danger" data-testid="dataset-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
