"use client";

import { type Dispatch, type ReactNode, useRef, useState } from "react";
import {
  ATTACH_ACCEPT,
  type AttachedImage,
  imageUrl,
  MAX_ATTACHMENTS,
} from "@/lib/ui/image-attachments";
import { type ComparisonTotals, formatTokens, formatUsd } from "@/lib/ui/metrics";
import type { OutputView, PlaygroundAction } from "@/lib/ui/playground-state";
import type { VariableField } from "@/lib/ui/prompt-variables";
import { MAX_COLUMNS } from "@/lib/ui/setup";
import { CopyButton } from "./copy-button";
import { Icon } from "./icons";

const TOOLS_PLACEHOLDER = `[{ "name": "get_weather", "description": "Current weather",
   "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } }]`;
const SCHEMA_PLACEHOLDER = `{ "type": "object", "properties": { "answer": { "type": "string" } },
  "required": ["answer"] }`;

function TotalCell({
  label,
  width,
  children,
  title,
}: {
  label: string;
  width: string;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`inline-flex flex-col leading-tight ${width}`} title={title}>
      <span className="text-[10px] text-muted uppercase">{label}</span>
      <span className="font-mono text-[12px] tabular-nums whitespace-nowrap">{children}</span>
    </span>
  );
}

/**
 * The whole comparison's total, as cells of fixed width with left-aligned values: as the
 * counts grow during a run nothing in the toolbar moves (right-aligned digits would creep).
 */
function Totals({ totals }: { totals: ComparisonTotals }) {
  const empty = totals.state === "empty";
  return (
    <span
      data-testid="totals"
      data-state={totals.state}
      className="inline-flex flex-wrap items-center gap-x-3 gap-y-1"
    >
      <TotalCell
        label={totals.state === "so-far" ? "total so far" : "total"}
        width="w-[13ch]"
        title="Cost of every call run on this page: recorded costs, plus the estimated cost so far of calls still running (≈)"
      >
        <span data-testid="totals-cost" data-estimated={totals.costEstimated ? "true" : "false"}>
          {empty ? "—" : `${totals.costEstimated ? "≈ " : ""}${formatUsd(totals.costUsd)}`}
        </span>
        <span data-testid="totals-state" className="sr-only">
          {totals.state === "so-far" ? "so far" : totals.state === "final" ? "final" : ""}
        </span>
      </TotalCell>
      <TotalCell label="calls" width="w-[5ch]">
        <span data-testid="totals-calls">{totals.calls}</span>
      </TotalCell>
      <TotalCell label="in" width="w-[8ch]" title="Input tokens reported by the providers">
        {formatTokens(totals.inputTokens)}
      </TotalCell>
      <TotalCell label="out" width="w-[8ch]" title="Output tokens (estimated while streaming)">
        <span data-testid="totals-output-tokens">{formatTokens(totals.outputTokens)}</span>
      </TotalCell>
      <TotalCell
        label="unpriced"
        width={`w-[8ch] ${totals.unpricedCalls > 0 ? "" : "invisible"}`}
        title="Calls that reported usage for a model without a known price are not in the total"
      >
        <span data-testid="totals-unpriced">{totals.unpricedCalls}</span>
      </TotalCell>
      <TotalCell
        label="no usage"
        width={`w-[8ch] ${totals.usageMissingCalls > 0 ? "" : "invisible"}`}
        title="Calls that ended without reported usage (failed before answering, not sent): nothing to price, not a price problem"
      >
        <span data-testid="totals-no-usage">{totals.usageMissingCalls}</span>
      </TotalCell>
    </span>
  );
}

function hasFiles(transfer: DataTransfer | null): boolean {
  return transfer !== null && Array.from(transfer.types).includes("Files");
}

/**
 * The prompt's images: an "Attach image" picker, the uploaded thumbnails (each removable), the
 * uploads still going and what was refused. Dropping and pasting are handled by the prompt box.
 */
function Attachments({
  attachments,
  uploading,
  problems,
  onAttachFiles,
  onRemove,
}: {
  attachments: AttachedImage[];
  uploading: number;
  problems: string[];
  onAttachFiles: (files: File[]) => void;
  onRemove: (imageId: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const full = attachments.length + uploading >= MAX_ATTACHMENTS;
  return (
    <div className="flex min-h-7 flex-wrap items-center gap-1.5" data-testid="attachments">
      <button
        type="button"
        data-testid="attach-image"
        disabled={full}
        onClick={() => input.current?.click()}
        title={`Attach images (PNG, JPEG, WebP or GIF, at most 5 MiB each, ${MAX_ATTACHMENTS} per prompt); you can also drop or paste them into the prompt`}
        className="inline-flex h-7 items-center gap-1.5 rounded border border-line bg-raised px-2 text-[12px] hover:bg-panel disabled:opacity-40"
      >
        <Icon name="image" />
        Attach image
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ATTACH_ACCEPT}
        data-testid="attach-image-input"
        aria-label="Attach images"
        className="hidden"
        onChange={(event) => {
          onAttachFiles(Array.from(event.target.files ?? []));
          // The same file picked again after removing it is a new change.
          event.target.value = "";
        }}
      />
      {attachments.map((image) => (
        <span
          key={image.imageId}
          data-testid="attachment"
          data-image-id={image.imageId}
          className="relative inline-flex"
        >
          {/* biome-ignore lint/performance/noImgElement: the uploaded bytes as they were stored. */}
          <img
            src={imageUrl(image.imageId)}
            alt={image.name || "pasted image"}
            title={image.name || "pasted image"}
            className="size-10 rounded border border-line bg-panel object-cover"
          />
          <button
            type="button"
            data-testid="remove-attachment"
            aria-label={`Remove ${image.name || "the pasted image"}`}
            title="Remove"
            onClick={() => onRemove(image.imageId)}
            className="absolute -top-1.5 -right-1.5 inline-flex size-4 items-center justify-center rounded-full border border-line bg-background text-muted hover:text-foreground"
          >
            <Icon name="x" className="size-2.5" />
          </button>
        </span>
      ))}
      {uploading > 0 ? (
        <span data-testid="attachments-uploading" className="text-[12px] text-muted">
          Uploading {uploading} image{uploading > 1 ? "s" : ""}…
        </span>
      ) : null}
      {problems.length > 0 ? (
        <span role="alert" data-testid="attachment-problem" className="text-[12px] text-danger">
          {problems.join(" ")}
        </span>
      ) : null}
    </div>
  );
}

const buttonClass =
  "inline-flex h-7 items-center gap-1.5 rounded border border-line bg-raised px-2 text-[12px] hover:bg-panel disabled:opacity-40";

export function PromptPanel(props: {
  system: string;
  prompt: string;
  tools: string;
  schema: string;
  running: boolean;
  hasHistory: boolean;
  hasConversation: boolean;
  columnCount: number;
  view: OutputView;
  totals: ComparisonTotals;
  notice: string | null;
  /** Why Run all may not send (a column's value out of range), or `null`. */
  blocked: string | null;
  baselineLabel: string | null;
  /** The prompt's `{{variables}}` and their values; empty when it has none. */
  variables: VariableField[];
  blind: boolean;
  attachments: AttachedImage[];
  uploading: number;
  attachProblems: string[];
  onAttachFiles: (files: File[]) => void;
  dispatch: Dispatch<PlaygroundAction>;
  onRunAll: () => void;
  onStopAll: () => void;
  /** Repeats the latest comparison as a new one; `null` when there is none to repeat. */
  onRunAgain?: (() => void) | null;
  onToggleBlind: () => void;
}) {
  const { dispatch } = props;
  const advancedSet = props.tools.trim() !== "" || props.schema.trim() !== "";
  const [dropping, setDropping] = useState(false);
  return (
    <div className="shrink-0 space-y-2 border-b border-line px-3 py-2.5">
      <div className="grid grid-cols-1 gap-2 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto]">
        <label className="flex min-w-0 flex-col gap-0.5">
          <span className="text-[11px] font-medium text-muted">System prompt (shared)</span>
          <textarea
            data-testid="system-input"
            rows={3}
            value={props.system}
            placeholder="Optional. A column can override it in its parameters."
            onChange={(event) => dispatch({ type: "set-system", system: event.target.value })}
            className="resize-y rounded-md border border-line bg-raised px-2 py-1.5"
          />
        </label>
        <fieldset
          aria-label="Prompt and its images"
          data-testid="prompt-drop"
          data-dropping={dropping ? "true" : "false"}
          className="flex min-w-0 flex-col gap-1"
          onDragOver={(event) => {
            if (!hasFiles(event.dataTransfer)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
            setDropping(true);
          }}
          onDragLeave={() => setDropping(false)}
          onDrop={(event) => {
            setDropping(false);
            if (!hasFiles(event.dataTransfer)) return;
            event.preventDefault();
            props.onAttachFiles(Array.from(event.dataTransfer.files));
          }}
        >
          <label className="flex min-w-0 flex-col gap-0.5">
            <span className="text-[11px] font-medium text-muted">
              {props.hasConversation
                ? "Follow-up (each column continues its own conversation; Clear to start over)"
                : "Prompt"}
            </span>
            <textarea
              data-testid="prompt-input"
              rows={3}
              value={props.prompt}
              placeholder="Ask every column at once… (drop or paste images here)"
              onChange={(event) => dispatch({ type: "set-prompt", prompt: event.target.value })}
              onPaste={(event) => {
                const files = Array.from(event.clipboardData.files);
                if (files.length === 0) return;
                // A picture copied with its caption pastes both; an image alone pastes no text.
                if (event.clipboardData.getData("text/plain") === "") event.preventDefault();
                props.onAttachFiles(files);
              }}
              className={`resize-y rounded-md border bg-raised px-2 py-1.5 ${
                dropping ? "border-accent" : "border-line"
              }`}
            />
          </label>
          <Attachments
            attachments={props.attachments}
            uploading={props.uploading}
            problems={props.attachProblems}
            onAttachFiles={props.onAttachFiles}
            onRemove={(imageId) => dispatch({ type: "remove-attachment", imageId })}
          />
        </fieldset>
        <div className="flex flex-row gap-2 md:w-32 md:flex-col md:pt-4">
          <button
            type="button"
            data-testid="run-all"
            disabled={props.running || props.blocked !== null}
            onClick={props.onRunAll}
            title="Run all (Ctrl/Cmd+Enter)"
            className="inline-flex h-8 flex-1 items-center justify-center gap-1.5 rounded-md bg-accent px-3 font-medium text-accent-foreground hover:opacity-90 disabled:opacity-40 md:flex-none"
          >
            <Icon name="play" />
            Run all
            <kbd className="font-sans text-[10px] opacity-70">⌘↵</kbd>
          </button>
          <button
            type="button"
            data-testid="stop-all"
            disabled={!props.running}
            onClick={props.onStopAll}
            title="Stop all (Esc)"
            className="inline-flex h-8 flex-1 items-center justify-center gap-1.5 rounded-md border border-line bg-raised px-3 hover:bg-panel disabled:opacity-40 md:flex-none"
          >
            <Icon name="stop" />
            Stop all
            <kbd className="font-sans text-[10px] opacity-70">Esc</kbd>
          </button>
          {props.onRunAgain !== undefined ? (
            <button
              type="button"
              data-testid="run-again"
              disabled={props.running || !props.onRunAgain}
              onClick={props.onRunAgain ?? undefined}
              title="Run the last comparison again: same columns, history and prompt, new answers"
              className={`${buttonClass} flex-1 justify-center md:flex-none`}
            >
              <Icon name="retry" />
              Run again
            </button>
          ) : null}
        </div>
      </div>
      {props.variables.length > 0 ? (
        <fieldset
          data-testid="variables-panel"
          className="flex flex-wrap items-end gap-2 rounded-md border border-line px-2 pt-1 pb-2"
        >
          <legend className="px-1 text-[11px] font-medium text-muted">
            Variables (filled into the prompt when it is sent)
          </legend>
          {props.variables.map((field) => (
            <label key={field.name} className="flex min-w-40 flex-1 flex-col gap-0.5">
              <span className="font-mono text-[11px] text-muted">{`{{${field.name}}}`}</span>
              <textarea
                data-testid="variable-input"
                data-variable={field.name}
                aria-label={`Variable ${field.name}`}
                aria-invalid={field.empty || undefined}
                rows={1}
                value={field.value}
                placeholder={`Value of ${field.name}`}
                onChange={(event) =>
                  dispatch({ type: "set-variable", name: field.name, value: event.target.value })
                }
                className="resize-y rounded-md border border-line bg-raised px-2 py-1 aria-invalid:border-danger/60"
              />
            </label>
          ))}
        </fieldset>
      ) : null}
      <details className="group" open={advancedSet || undefined}>
        <summary className="cursor-pointer select-none text-[11px] font-medium text-muted">
          Tools and output schema{advancedSet ? " (set)" : ""}
        </summary>
        <div className="mt-1.5 grid grid-cols-1 gap-2 md:grid-cols-2">
          <label className="flex min-w-0 flex-col gap-0.5">
            <span className="text-[11px] text-muted">
              Tools (JSON array; calls are shown, not run)
            </span>
            <textarea
              data-testid="tools-input"
              rows={3}
              value={props.tools}
              placeholder={TOOLS_PLACEHOLDER}
              onChange={(event) => dispatch({ type: "set-tools", tools: event.target.value })}
              className="resize-y rounded-md border border-line bg-raised px-2 py-1.5 font-mono text-[12px]"
            />
          </label>
          <label className="flex min-w-0 flex-col gap-0.5">
            <span className="text-[11px] text-muted">Output JSON Schema (answers as JSON)</span>
            <textarea
              data-testid="schema-input"
              rows={3}
              value={props.schema}
              placeholder={SCHEMA_PLACEHOLDER}
              onChange={(event) => dispatch({ type: "set-schema", schema: event.target.value })}
              className="resize-y rounded-md border border-line bg-raised px-2 py-1.5 font-mono text-[12px]"
            />
          </label>
        </div>
      </details>
      <div className="flex min-h-7 flex-wrap items-center gap-2">
        <button
          type="button"
          data-testid="add-column"
          disabled={props.columnCount >= MAX_COLUMNS}
          onClick={() => dispatch({ type: "add-column" })}
          className={buttonClass}
        >
          <Icon name="plus" />
          Add column
        </button>
        <fieldset
          className="inline-flex h-7 overflow-hidden rounded border border-line"
          aria-label="Output view"
        >
          {(["markdown", "plain"] as const).map((view) => (
            <button
              key={view}
              type="button"
              data-testid={`view-${view}`}
              aria-pressed={props.view === view}
              onClick={() => dispatch({ type: "set-view", view })}
              className="px-2 text-[12px] text-muted aria-pressed:bg-raised aria-pressed:font-medium aria-pressed:text-foreground"
            >
              {view === "markdown" ? "Markdown" : "Plain text"}
            </button>
          ))}
        </fieldset>
        <button
          type="button"
          data-testid="clear"
          disabled={props.running || !props.hasHistory}
          onClick={() => dispatch({ type: "clear" })}
          className={buttonClass}
        >
          <Icon name="trash" />
          Clear
        </button>
        <button
          type="button"
          data-testid="blind-toggle"
          aria-pressed={props.blind}
          disabled={props.running}
          onClick={props.onToggleBlind}
          title="Hide and shuffle the models until you vote on the answers"
          className={`${buttonClass} aria-pressed:border-accent aria-pressed:text-accent`}
        >
          <Icon name="blind" />
          Blind
        </button>
        <CopyButton
          text={() => window.location.href}
          label="Copy link"
          testId="copy-link"
          className="h-7 px-2 text-[12px]"
        />
        {props.baselineLabel ? (
          <span className="inline-flex h-7 items-center gap-1.5 rounded border border-accent/50 px-2 text-[12px]">
            Diff against <strong className="font-medium">{props.baselineLabel}</strong>
            <button
              type="button"
              data-testid="unpin-baseline"
              onClick={() => dispatch({ type: "set-baseline", columnId: null })}
              className="text-muted underline hover:text-foreground"
            >
              unpin
            </button>
          </span>
        ) : null}
        {props.blocked ? (
          <span role="alert" data-testid="run-blocked" className="text-danger">
            Not sent — {props.blocked}
          </span>
        ) : props.notice ? (
          <span role="alert" data-testid="notice" className="text-danger">
            {props.notice}
          </span>
        ) : null}
        <div className="ml-auto max-w-full text-[12px]">
          <Totals totals={props.totals} />
        </div>
      </div>
    </div>
  );
}
