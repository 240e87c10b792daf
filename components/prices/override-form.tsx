"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { OVERRIDE_PROVIDERS, type OverrideFormValues } from "@/lib/reports/prepare-prices";
import { readApiError } from "@/lib/ui/api-error";

type RateField =
  | "inputPerMillion"
  | "outputPerMillion"
  | "cacheReadPerMillion"
  | "cacheWritePerMillion"
  | "cacheWrite5mPerMillion"
  | "cacheWrite1hPerMillion";

const RATE_FIELDS: ReadonlyArray<{
  field: RateField;
  label: string;
  required: boolean;
  hint?: string;
}> = [
  { field: "inputPerMillion", label: "Input", required: true },
  { field: "outputPerMillion", label: "Output", required: true },
  { field: "cacheReadPerMillion", label: "Cache read", required: false, hint: "empty: as input" },
  { field: "cacheWritePerMillion", label: "Cache write", required: false, hint: "empty: as input" },
  {
    field: "cacheWrite5mPerMillion",
    label: "Cache write 5m",
    required: false,
    hint: "empty: as write",
  },
  {
    field: "cacheWrite1hPerMillion",
    label: "Cache write 1h",
    required: false,
    hint: "empty: as write",
  },
];

/** The everything-before date: an empty "effective from" means every call, however old. */
const ALL_CALLS = "1970-01-01";

function rate(text: string): number | null {
  const value = text.trim();
  return value === "" ? null : Number(value);
}

/** Adds or edits one override through `PUT /api/prices`, then shows the page again. */
export function OverrideForm({ initial }: { initial: OverrideFormValues }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string }
  >({ kind: "idle" });
  const set = (field: keyof OverrideFormValues) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ kind: "saving" });
    const body = {
      ...(values.id ? { id: values.id } : {}),
      provider: values.provider,
      modelPattern: values.modelPattern.trim(),
      inputPerMillion: rate(values.inputPerMillion),
      outputPerMillion: rate(values.outputPerMillion),
      cacheReadPerMillion: rate(values.cacheReadPerMillion),
      cacheWritePerMillion: rate(values.cacheWritePerMillion),
      cacheWrite5mPerMillion: rate(values.cacheWrite5mPerMillion),
      cacheWrite1hPerMillion: rate(values.cacheWrite1hPerMillion),
      effectiveFrom: values.effectiveFrom || ALL_CALLS,
      note: values.note.trim() || null,
    };
    const response = await fetch("/api/prices", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (!response?.ok) {
      const error = response ? await readApiError(response) : null;
      setState({ kind: "error", message: error?.message ?? "the server could not be reached" });
      return;
    }
    setState({ kind: "saved" });
    router.replace("/settings/prices#overrides", { scroll: false });
    router.refresh();
  }

  return (
    <form
      id="override-form"
      onSubmit={submit}
      className="scroll-mt-4 rounded-md border border-line bg-raised p-3"
      data-testid="override-form"
    >
      <h2 className="font-semibold">{values.id ? "Edit override" : "Add an override"}</h2>
      <p className="mb-2 text-[11px] text-muted">
        USD per million tokens. The model is an exact id or a pattern where * matches anything
        (gpt-4.1*). New calls use it at once; recorded calls keep their cost until re-priced below.
      </p>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <label className="flex flex-col text-[11px] text-muted">
          Provider
          <select
            value={values.provider}
            onChange={(event) => set("provider")(event.target.value)}
            data-testid="override-provider"
            className="h-8 rounded-md border border-line bg-background px-1.5 text-[13px] text-foreground"
          >
            {OVERRIDE_PROVIDERS.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        </label>
        <label className="col-span-1 flex flex-col text-[11px] text-muted sm:col-span-3">
          Model id or pattern
          <input
            required
            value={values.modelPattern}
            onChange={(event) => set("modelPattern")(event.target.value)}
            data-testid="override-model"
            placeholder="gpt-4o-mini"
            className="h-8 rounded-md border border-line bg-background px-1.5 font-mono text-[12px] text-foreground"
          />
        </label>
        {RATE_FIELDS.map(({ field, label, required, hint }) => (
          <label key={field} className="flex flex-col text-[11px] text-muted">
            {label}
            <input
              type="number"
              min={0}
              step="any"
              required={required}
              value={values[field]}
              placeholder={hint}
              onChange={(event) => set(field)(event.target.value)}
              data-testid={`override-${field}`}
              className="h-8 rounded-md border border-line bg-background px-1.5 font-mono text-[12px] text-foreground"
            />
          </label>
        ))}
        <label className="flex flex-col text-[11px] text-muted">
          Effective from
          <input
            type="date"
            value={values.effectiveFrom}
            onChange={(event) => set("effectiveFrom")(event.target.value)}
            data-testid="override-effective-from"
            title="Empty: every call, however old"
            className="h-8 rounded-md border border-line bg-background px-1.5 text-[13px] text-foreground"
          />
        </label>
        <label className="flex flex-col text-[11px] text-muted">
          Note
          <input
            value={values.note}
            maxLength={500}
            onChange={(event) => set("note")(event.target.value)}
            data-testid="override-note"
            placeholder="where this price comes from"
            className="h-8 rounded-md border border-line bg-background px-1.5 text-[13px] text-foreground"
          />
        </label>
      </div>
      <div className="mt-3 flex items-center gap-3">
        <button
          type="submit"
          disabled={state.kind === "saving"}
          data-testid="override-save"
          className="h-8 rounded-md bg-accent px-3 text-accent-foreground disabled:opacity-60"
        >
          {values.id ? "Save override" : "Add override"}
        </button>
        {values.id ? (
          <a href="/settings/prices#override-form" className="text-muted hover:underline">
            Cancel
          </a>
        ) : null}
        <span role="status" data-testid="override-status" className="text-[12px]">
          {state.kind === "saved" ? (
            "Saved. New calls use this price; re-price a range to apply it to recorded calls."
          ) : state.kind === "error" ? (
            <span className="text-danger">{state.message}</span>
          ) : null}
        </span>
      </div>
    </form>
  );
}
