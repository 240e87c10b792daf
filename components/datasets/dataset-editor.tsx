"use client";

/**
 * Edits a test set in the page: cells of variable values and the expected output, rows and
 * variables added or removed; saving replaces the set whole (validated like an import).
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { readApiError } from "@/lib/ui/api-error";

interface EditableRow {
  key: number;
  vars: Record<string, string>;
  expected: string;
}

export function DatasetEditor(props: {
  datasetId: string;
  name: string;
  variables: string[];
  items: { vars: Record<string, string>; expected: string | null }[];
}) {
  const router = useRouter();
  const [variables, setVariables] = useState(props.variables);
  const [rows, setRows] = useState<EditableRow[]>(() =>
    props.items.map((item, index) => ({
      key: index,
      vars: item.vars,
      expected: item.expected ?? "",
    })),
  );
  const [nextKey, setNextKey] = useState(props.items.length);
  const [newVariable, setNewVariable] = useState("");
  const [status, setStatus] = useState<string | null>(null);

  const update = (key: number, change: (row: EditableRow) => EditableRow) =>
    setRows((current) => current.map((row) => (row.key === key ? change(row) : row)));

  async function save() {
    setStatus("Saving…");
    const response = await fetch(`/api/datasets/${props.datasetId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: props.name,
        rows: rows.map((row) => ({
          vars: Object.fromEntries(variables.map((name) => [name, row.vars[name] ?? ""])),
          ...(row.expected !== "" ? { expected: row.expected } : {}),
        })),
      }),
    });
    if (!response.ok) {
      setStatus((await readApiError(response)).message);
      return;
    }
    setStatus("Saved");
    router.refresh();
  }

  return (
    <div data-testid="dataset-editor">
      <div className="overflow-x-auto rounded-lg border border-line">
        <table className="w-full border-collapse text-left text-[12px]">
          <thead className="bg-panel text-muted">
            <tr>
              <th className="px-2 py-1">#</th>
              {variables.map((name) => (
                <th key={name} className="px-2 py-1 font-mono">
                  {name}
                </th>
              ))}
              <th className="px-2 py-1">expected</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key} className="border-t border-line" data-testid="dataset-row">
                <td className="px-2 text-muted">{index + 1}</td>
                {variables.map((name) => (
                  <td key={name} className="p-0.5">
                    <input
                      aria-label={`Row ${index + 1} ${name}`}
                      value={row.vars[name] ?? ""}
                      onChange={(event) =>
                        update(row.key, (current) => ({
                          ...current,
                          vars: { ...current.vars, [name]: event.target.value },
                        }))
                      }
                      className="w-full rounded border border-transparent bg-transparent px-1 py-0.5 hover:border-line"
                    />
                  </td>
                ))}
                <td className="p-0.5">
                  <input
                    aria-label={`Row ${index + 1} expected`}
                    value={row.expected}
                    onChange={(event) =>
                      update(row.key, (current) => ({ ...current, expected: event.target.value }))
                    }
                    className="w-full rounded border border-transparent bg-transparent px-1 py-0.5 hover:border-line"
                  />
                </td>
                <td className="px-1">
                  <button
                    type="button"
                    aria-label={`Remove row ${index + 1}`}
                    onClick={() =>
                      setRows((current) => current.filter((other) => other.key !== row.key))
                    }
                    className="text-muted hover:text-danger"
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2 text-[12px]">
        <button
          type="button"
          data-testid="dataset-add-row"
          onClick={() => {
            setRows((current) => [...current, { key: nextKey, vars: {}, expected: "" }]);
            setNextKey(nextKey + 1);
          }}
          className="rounded border border-line bg-raised px-2 py-0.5"
        >
          Add row
        </button>
        <input
          value={newVariable}
          onChange={(event) => setNewVariable(event.target.value)}
          placeholder="new variable"
          aria-label="New variable name"
          className="h-6 rounded border border-line bg-raised px-1"
        />
        <button
          type="button"
          onClick={() => {
            const name = newVariable.trim();
            if (name && !variables.includes(name)) setVariables([...variables, name]);
            setNewVariable("");
          }}
          className="rounded border border-line bg-raised px-2 py-0.5"
        >
          Add variable
        </button>
        <button
          type="button"
          data-testid="dataset-save"
          onClick={() => void save()}
          className="ml-auto rounded-md bg-accent px-3 py-0.5 text-accent-foreground"
        >
          Save
        </button>
        {status ? (
          <span role="status" data-testid="dataset-status" className="basis-full text-muted">
            {status}
          </span>
        ) : null}
      </div>
    </div>
  );
}
