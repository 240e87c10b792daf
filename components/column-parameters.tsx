"use client";

import { useId, useState } from "react";
import type { ParameterProblem } from "@/lib/models/parameter-limits";
import type { ColumnParameters } from "@/lib/ui/setup";

type NumericName = "temperature" | "topP" | "maxTokens" | "seed";

const NUMERIC_FIELDS: Array<{
  name: NumericName;
  label: string;
  min?: number;
  max?: number;
  step: number;
  integer: boolean;
}> = [
  { name: "temperature", label: "Temperature", min: 0, max: 2, step: 0.1, integer: false },
  { name: "topP", label: "Top-p", min: 0, max: 1, step: 0.05, integer: false },
  { name: "maxTokens", label: "Max tokens", min: 1, step: 1, integer: true },
  { name: "seed", label: "Seed", step: 1, integer: true },
];

/**
 * Any number is committed, in range or not: the range check (`parameter-check.ts`) then blocks
 * Run and names the field, where dropping the value would run with the provider's default.
 */
function parseNumber(text: string): { ok: true; value: number | undefined } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false };
  return { ok: true, value };
}

function NumberField({
  field,
  value,
  problem,
  onCommit,
}: {
  field: (typeof NUMERIC_FIELDS)[number];
  value: number | undefined;
  problem: string | null;
  onCommit: (value: number | undefined) => void;
}) {
  const id = useId();
  const problemId = useId();
  // The text is kept while it is being typed ("0." is not yet a number worth committing).
  const [text, setText] = useState(value === undefined ? "" : String(value));
  const parsed = parseNumber(text);
  const invalid = !parsed.ok || problem !== null;
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-[11px] text-muted">
        {field.label}
      </label>
      <input
        id={id}
        data-testid={`param-${field.name}`}
        type="number"
        inputMode={field.integer ? "numeric" : "decimal"}
        min={field.min}
        max={field.max}
        step={field.step}
        placeholder="default"
        value={text}
        aria-invalid={invalid}
        aria-describedby={problem !== null ? problemId : undefined}
        onChange={(event) => {
          setText(event.target.value);
          const next = parseNumber(event.target.value);
          if (next.ok) onCommit(next.value);
        }}
        className="h-7 rounded border border-line bg-raised px-1.5 font-mono text-[12px] aria-invalid:border-danger"
      />
      {problem !== null ? (
        <span
          id={problemId}
          data-testid={`param-${field.name}-problem`}
          className="text-[11px] text-danger"
        >
          {problem}
        </span>
      ) : null}
    </div>
  );
}

export function ColumnParametersPanel({
  params,
  problems,
  system,
  sharedSystem,
  onParameters,
  onSystem,
}: {
  params: ColumnParameters;
  problems: readonly ParameterProblem[];
  system: string | null;
  sharedSystem: string;
  onParameters: (params: ColumnParameters) => void;
  onSystem: (system: string | null) => void;
}) {
  const stopId = useId();
  const systemId = useId();
  const [stopText, setStopText] = useState((params.stop ?? []).join("\n"));
  return (
    <div data-testid="column-parameters" className="space-y-2 border-b border-line bg-panel p-2">
      <div className="grid grid-cols-2 gap-2">
        {NUMERIC_FIELDS.map((field) => (
          <NumberField
            key={field.name}
            field={field}
            value={params[field.name]}
            problem={problems.find((problem) => problem.field === field.name)?.message ?? null}
            onCommit={(value) => onParameters({ ...params, [field.name]: value })}
          />
        ))}
      </div>
      <div className="flex flex-col gap-0.5">
        <label htmlFor={stopId} className="text-[11px] text-muted">
          Stop sequences, one per line
        </label>
        <textarea
          id={stopId}
          data-testid="param-stop"
          rows={2}
          value={stopText}
          onChange={(event) => {
            setStopText(event.target.value);
            const stop = event.target.value.split("\n").filter((line) => line !== "");
            onParameters({ ...params, stop: stop.length > 0 ? stop.slice(0, 16) : undefined });
          }}
          className="resize-y rounded border border-line bg-raised px-1.5 py-1 font-mono text-[12px]"
        />
      </div>
      <label className="flex items-center gap-1.5 text-[12px]">
        <input
          type="checkbox"
          data-testid="param-prompt-cache"
          checked={Boolean(params.promptCache)}
          onChange={(event) =>
            onParameters({ ...params, promptCache: event.target.checked ? true : undefined })
          }
        />
        Prompt caching
        {params.promptCache ? (
          <select
            aria-label="Cache lifetime"
            data-testid="param-prompt-cache-ttl"
            value={params.promptCache === "1h" ? "1h" : "5m"}
            onChange={(event) =>
              onParameters({ ...params, promptCache: event.target.value === "1h" ? "1h" : true })
            }
            className="rounded border border-line bg-raised px-1 text-[12px]"
          >
            <option value="5m">5 min</option>
            <option value="1h">1 hour (Anthropic)</option>
          </select>
        ) : null}
      </label>
      <label className="flex items-center gap-1.5 text-[12px]">
        Reasoning effort
        <select
          data-testid="param-reasoning-effort"
          value={params.reasoningEffort ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            onParameters({
              ...params,
              reasoningEffort:
                value === "low" || value === "medium" || value === "high" ? value : undefined,
            });
          }}
          className="rounded border border-line bg-raised px-1 text-[12px]"
        >
          <option value="">default</option>
          <option value="low">low</option>
          <option value="medium">medium</option>
          <option value="high">high</option>
        </select>
      </label>
      <div className="flex flex-col gap-0.5">
        <label className="flex items-center gap-1.5 text-[12px]">
          <input
            type="checkbox"
            data-testid="system-override-toggle"
            checked={system !== null}
            onChange={(event) => onSystem(event.target.checked ? sharedSystem : null)}
          />
          Own system prompt
        </label>
        {system !== null ? (
          <textarea
            id={systemId}
            aria-label="System prompt for this column"
            data-testid="system-override"
            rows={3}
            value={system}
            onChange={(event) => onSystem(event.target.value)}
            className="resize-y rounded border border-line bg-raised px-1.5 py-1 text-[12px]"
          />
        ) : null}
      </div>
    </div>
  );
}
