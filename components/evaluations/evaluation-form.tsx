"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import * as z from "zod/mini";
import { readApiError } from "@/lib/ui/api-error";
import {
  ASSERTION_LABELS,
  type AssertionDraft,
  type AssertionType,
  type EstimateLines,
  type EvaluationBody,
  type EvaluationDraft,
  estimateLines,
  estimateSchema,
  evaluationBody,
  MAX_SAMPLES,
  newAssertion,
  newTarget,
  type TargetDraft,
} from "@/lib/ui/evaluation-form";
import { useProviders } from "../use-providers";

const inputClass = "h-7 rounded border border-line bg-raised px-1.5 text-[12px]";
const buttonClass =
  "inline-flex h-7 items-center rounded border border-line bg-raised px-2.5 text-[12px] hover:bg-panel disabled:opacity-40";

const createdSchema = z.object({ evaluationId: z.string() });

/** A labelled control; `id` is the control's own id. */
function Field({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-[11px] font-medium text-muted">
        {label}
      </label>
      {children}
    </div>
  );
}

function AssertionFields({
  assertion,
  position,
  onChange,
}: {
  assertion: AssertionDraft;
  position: number;
  onChange: (assertion: AssertionDraft) => void;
}) {
  const label = (what: string) => `Assertion ${position} ${what}`;
  switch (assertion.type) {
    case "equals":
      return <span className="text-[12px] text-muted">The output equals the row's expected.</span>;
    case "contains":
      return (
        <input
          aria-label={label("text")}
          value={assertion.value}
          placeholder="text the output must contain"
          onChange={(event) => onChange({ ...assertion, value: event.target.value })}
          className={`${inputClass} flex-1`}
        />
      );
    case "regex":
      return (
        <>
          <input
            aria-label={label("pattern")}
            value={assertion.pattern}
            placeholder="pattern"
            onChange={(event) => onChange({ ...assertion, pattern: event.target.value })}
            className={`${inputClass} flex-1 font-mono`}
          />
          <input
            aria-label={label("flags")}
            value={assertion.flags}
            placeholder="flags (i, m, s, u)"
            onChange={(event) => onChange({ ...assertion, flags: event.target.value })}
            className={`${inputClass} w-28 font-mono`}
          />
        </>
      );
    case "json-schema":
      return (
        <textarea
          aria-label={label("schema")}
          value={assertion.schema}
          rows={2}
          placeholder='{ "type": "object", "required": ["answer"] }'
          onChange={(event) => onChange({ ...assertion, schema: event.target.value })}
          className="flex-1 rounded border border-line bg-raised px-1.5 py-1 font-mono text-[12px]"
        />
      );
    case "max-latency-ms":
    case "max-cost-usd":
      return (
        <input
          aria-label={label("limit")}
          inputMode="decimal"
          value={assertion.value}
          placeholder={assertion.type === "max-latency-ms" ? "e.g. 2000" : "e.g. 0.001"}
          onChange={(event) => onChange({ ...assertion, value: event.target.value })}
          className={`${inputClass} w-32`}
        />
      );
    case "judge":
      return (
        <div className="flex flex-1 flex-col gap-1">
          <div className="flex gap-1">
            <input
              aria-label={label("judge model")}
              list="eval-models"
              value={assertion.model}
              placeholder="judge model, provider:model"
              onChange={(event) => onChange({ ...assertion, model: event.target.value })}
              className={`${inputClass} flex-1`}
            />
            <input
              aria-label={label("pass score")}
              inputMode="numeric"
              value={assertion.passScore}
              title="The lowest score (1–5) that passes"
              onChange={(event) => onChange({ ...assertion, passScore: event.target.value })}
              className={`${inputClass} w-16`}
            />
          </div>
          <textarea
            aria-label={label("rubric")}
            value={assertion.rubric}
            rows={2}
            placeholder="What a good answer does (the judge scores 1–5 against it)"
            onChange={(event) => onChange({ ...assertion, rubric: event.target.value })}
            className="rounded border border-line bg-raised px-1.5 py-1 text-[12px]"
          />
        </div>
      );
    default: {
      const exhaustive: never = assertion;
      return exhaustive;
    }
  }
}

/**
 * The create page's form. Nothing starts until the estimate (calls and cost, unpriced models
 * named) has been shown and confirmed; any change afterwards asks for a new estimate.
 */
export function EvaluationForm({
  prompts,
  datasets,
  initialPromptId,
  initialDatasetId,
}: {
  prompts: Array<{ promptId: string; name: string; latestVersion: number }>;
  datasets: Array<{ datasetId: string; name: string; rows: number }>;
  initialPromptId: string;
  initialDatasetId: string;
}) {
  const router = useRouter();
  const [draft, setDraftState] = useState<EvaluationDraft>(() => ({
    promptId: prompts.some((prompt) => prompt.promptId === initialPromptId)
      ? initialPromptId
      : (prompts[0]?.promptId ?? ""),
    version: "",
    datasetId: datasets.some((dataset) => dataset.datasetId === initialDatasetId)
      ? initialDatasetId
      : (datasets[0]?.datasetId ?? ""),
    targets: [newTarget("demo:chat"), newTarget("demo:fast")],
    samples: "1",
    assertions: [],
    concurrency: "",
  }));
  const [assertionType, setAssertionType] = useState<AssertionType>("contains");
  const [estimate, setEstimate] = useState<{ body: EvaluationBody; lines: EstimateLines } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { providers } = useProviders(draft.targets.map((target) => target.model));
  const models = (providers ?? []).flatMap((provider) =>
    provider.models.map((model) => (model.includes(":") ? model : `${provider.id}:${model}`)),
  );

  const setDraft = (update: (current: EvaluationDraft) => EvaluationDraft) => {
    setDraftState(update);
    setEstimate(null);
  };
  const setTarget = (index: number, target: TargetDraft) =>
    setDraft((current) => ({
      ...current,
      targets: current.targets.map((item, position) => (position === index ? target : item)),
    }));
  const setAssertion = (index: number, assertion: AssertionDraft) =>
    setDraft((current) => ({
      ...current,
      assertions: current.assertions.map((item, position) =>
        position === index ? assertion : item,
      ),
    }));
  const prompt = prompts.find((candidate) => candidate.promptId === draft.promptId);

  async function post(path: string, body: EvaluationBody): Promise<unknown | null> {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      setError((await readApiError(response)).message);
      return null;
    }
    return response.json();
  }

  async function askEstimate() {
    const result = evaluationBody(draft);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post("/api/evaluations/estimate", result.body);
      const parsed = answer === null ? null : estimateSchema.safeParse(answer);
      if (parsed?.success) {
        setEstimate({ body: result.body, lines: estimateLines(parsed.data, result.body) });
      } else if (parsed) {
        setError("The estimate could not be read.");
      }
    } catch {
      setError("The estimate could not be asked for; try again.");
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    if (!estimate) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await post("/api/evaluations", estimate.body);
      const parsed = answer === null ? null : createdSchema.safeParse(answer);
      if (parsed?.success) {
        router.push(`/evaluations/${encodeURIComponent(parsed.data.evaluationId)}`);
        return;
      }
      if (parsed) setError("The evaluation started but its id could not be read.");
    } catch {
      setError("The evaluation could not be started; try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="space-y-4"
      data-testid="eval-form"
      onSubmit={(event) => {
        event.preventDefault();
        void askEstimate();
      }}
    >
      <datalist id="eval-models">
        {models.map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <Field label="Prompt" id="eval-prompt">
          <select
            id="eval-prompt"
            data-testid="eval-prompt"
            value={draft.promptId}
            onChange={(event) =>
              setDraft((current) => ({ ...current, promptId: event.target.value, version: "" }))
            }
            className={inputClass}
          >
            {prompts.map((candidate) => (
              <option key={candidate.promptId} value={candidate.promptId}>
                {candidate.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Version" id="eval-version">
          <select
            id="eval-version"
            data-testid="eval-version"
            value={draft.version}
            onChange={(event) =>
              setDraft((current) => ({ ...current, version: event.target.value }))
            }
            className={inputClass}
          >
            <option value="">latest (v{prompt?.latestVersion ?? 1})</option>
            {Array.from({ length: prompt?.latestVersion ?? 0 }, (_, index) => index + 1)
              .reverse()
              .map((version) => (
                <option key={version} value={String(version)}>
                  v{version}
                </option>
              ))}
          </select>
        </Field>
        <Field label="Test set" id="eval-dataset">
          <select
            id="eval-dataset"
            data-testid="eval-dataset"
            value={draft.datasetId}
            onChange={(event) =>
              setDraft((current) => ({ ...current, datasetId: event.target.value }))
            }
            className={inputClass}
          >
            {datasets.map((dataset) => (
              <option key={dataset.datasetId} value={dataset.datasetId}>
                {dataset.name} ({dataset.rows} rows)
              </option>
            ))}
          </select>
        </Field>
      </div>

      <fieldset className="rounded-md border border-line p-2">
        <legend className="px-1 text-[11px] font-medium text-muted">
          Targets (model and parameters)
        </legend>
        <div className="space-y-1.5">
          {draft.targets.map((target, index) => (
            <div
              // Targets are positional: the grid's columns follow this order.
              // biome-ignore lint/suspicious/noArrayIndexKey: positional by design.
              key={index}
              className="flex flex-wrap items-center gap-1.5"
              data-testid="eval-target"
            >
              <span className="w-5 font-mono text-[11px] text-muted">{index + 1}</span>
              <input
                aria-label={`Target ${index + 1} model`}
                list="eval-models"
                value={target.model}
                placeholder="provider:model"
                onChange={(event) => setTarget(index, { ...target, model: event.target.value })}
                className={`${inputClass} min-w-56 flex-1`}
              />
              {(["temperature", "topP", "maxTokens"] as const).map((field) => (
                <input
                  key={field}
                  aria-label={`Target ${index + 1} ${field}`}
                  inputMode="decimal"
                  value={target[field]}
                  placeholder={field}
                  onChange={(event) => setTarget(index, { ...target, [field]: event.target.value })}
                  className={`${inputClass} w-24`}
                />
              ))}
              <button
                type="button"
                aria-label={`Remove target ${index + 1}`}
                disabled={draft.targets.length <= 1}
                onClick={() =>
                  setDraft((current) => ({
                    ...current,
                    targets: current.targets.filter((_, position) => position !== index),
                  }))
                }
                className={buttonClass}
              >
                Remove
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          data-testid="eval-add-target"
          disabled={draft.targets.length >= 16}
          onClick={() =>
            setDraft((current) => ({ ...current, targets: [...current.targets, newTarget()] }))
          }
          className={`${buttonClass} mt-2`}
        >
          Add target
        </button>
      </fieldset>

      <fieldset className="rounded-md border border-line p-2">
        <legend className="px-1 text-[11px] font-medium text-muted">
          Assertions (every one must pass for a cell to pass)
        </legend>
        <div className="space-y-1.5">
          {draft.assertions.length === 0 ? (
            <p className="text-[12px] text-muted">
              None yet: without assertions the cells are only run, not checked.
            </p>
          ) : null}
          {draft.assertions.map((assertion, index) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: positional, like the targets.
              key={index}
              className="flex flex-wrap items-start gap-1.5"
              data-testid="eval-assertion"
              data-type={assertion.type}
            >
              <span className="w-44 pt-1 text-[12px] font-medium">
                {ASSERTION_LABELS[assertion.type]}
              </span>
              <AssertionFields
                assertion={assertion}
                position={index + 1}
                onChange={(next) => setAssertion(index, next)}
              />
              <button
                type="button"
                aria-label={`Remove assertion ${index + 1}`}
                onClick={() =>
                  setDraft((current) => ({
                    ...current,
                    assertions: current.assertions.filter((_, position) => position !== index),
                  }))
                }
                className={buttonClass}
              >
                Remove
              </button>
            </div>
          ))}
        </div>
        <div className="mt-2 flex items-center gap-1.5">
          <select
            aria-label="Assertion type"
            data-testid="eval-assertion-type"
            value={assertionType}
            onChange={(event) => setAssertionType(event.target.value as AssertionType)}
            className={inputClass}
          >
            {(Object.keys(ASSERTION_LABELS) as AssertionType[]).map((type) => (
              <option key={type} value={type}>
                {ASSERTION_LABELS[type]}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid="eval-add-assertion"
            onClick={() =>
              setDraft((current) => ({
                ...current,
                assertions: [...current.assertions, newAssertion(assertionType)],
              }))
            }
            className={buttonClass}
          >
            Add assertion
          </button>
        </div>
      </fieldset>

      <div className="flex flex-wrap items-end gap-3">
        <Field label={`Samples per cell (1–${MAX_SAMPLES})`} id="eval-samples">
          <input
            id="eval-samples"
            data-testid="eval-samples"
            type="number"
            min={1}
            max={MAX_SAMPLES}
            value={draft.samples}
            onChange={(event) =>
              setDraft((current) => ({ ...current, samples: event.target.value }))
            }
            className={`${inputClass} w-24`}
          />
        </Field>
        <Field label="Concurrency (optional)" id="eval-concurrency">
          <input
            id="eval-concurrency"
            data-testid="eval-concurrency"
            type="number"
            min={1}
            value={draft.concurrency}
            placeholder="default"
            onChange={(event) =>
              setDraft((current) => ({ ...current, concurrency: event.target.value }))
            }
            className={`${inputClass} w-28`}
          />
        </Field>
        <button
          type="submit"
          data-testid="eval-estimate"
          disabled={busy}
          className="inline-flex h-8 items-center rounded-md border border-line bg-raised px-3 font-medium hover:bg-panel disabled:opacity-40"
        >
          Estimate calls and cost
        </button>
      </div>

      {error ? (
        <p role="alert" data-testid="eval-form-error" className="text-danger">
          {error}
        </p>
      ) : null}

      {estimate ? (
        <section
          data-testid="eval-estimate-box"
          className="space-y-1 rounded-md border border-accent/60 bg-panel p-3"
        >
          <p className="font-medium" data-testid="eval-estimate-calls">
            {estimate.lines.calls}
          </p>
          <p data-testid="eval-estimate-cost">{estimate.lines.cost}</p>
          {estimate.lines.unpriced ? (
            <p className="text-danger" data-testid="eval-estimate-unpriced">
              {estimate.lines.unpriced}
            </p>
          ) : null}
          <div className="flex gap-2 pt-1">
            <button
              type="button"
              data-testid="eval-confirm"
              disabled={busy}
              onClick={() => void start()}
              className="inline-flex h-8 items-center rounded-md bg-accent px-3 font-medium text-accent-foreground hover:opacity-90 disabled:opacity-40"
            >
              {estimate.lines.confirm}
            </button>
            <button type="button" onClick={() => setEstimate(null)} className={buttonClass}>
              Change the setup
            </button>
          </div>
        </section>
      ) : null}
    </form>
  );
}
