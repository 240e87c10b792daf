"use client";

import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { CellVerdict, GridCell, GridRow } from "@/lib/ui/evaluation-view";
import { visibleRows } from "@/lib/ui/evaluation-view";

/** One height for every row, so the window is arithmetic (`visibleRows`) and scrolling is cheap. */
const ROW_HEIGHT = 76;
const VIEWPORT_HEIGHT = 560;

const VERDICT_STYLES: Record<CellVerdict, string> = {
  pass: "bg-added text-added-foreground",
  fail: "bg-danger-surface text-danger",
  mixed: "bg-amber-500/15 text-amber-700 dark:text-amber-300",
  error: "bg-danger-surface text-danger",
  pending: "bg-panel text-muted",
  cancelled: "bg-panel text-muted",
};

function verdictText(cell: GridCell): string {
  switch (cell.verdict) {
    case "pass":
    case "fail":
    case "mixed":
      return cell.samples.length > 1
        ? `${cell.verdict} ${cell.passed}/${cell.checked}`
        : cell.verdict;
    case "error":
    case "pending":
    case "cancelled":
      return cell.verdict;
    default: {
      const exhaustive: never = cell.verdict;
      return exhaustive;
    }
  }
}

const Cell = memo(function Cell({
  cell,
  onOpen,
}: {
  cell: GridCell;
  onOpen: (target: number) => void;
}) {
  return (
    <button
      type="button"
      data-testid="eval-cell"
      data-target={cell.target}
      data-verdict={cell.verdict}
      onClick={() => onOpen(cell.target)}
      className="flex h-full min-w-0 flex-col items-start gap-0.5 overflow-hidden border-l border-line px-2 py-1 text-left hover:bg-panel"
    >
      <span
        className={`rounded px-1 text-[10px] font-semibold uppercase ${VERDICT_STYLES[cell.verdict]}`}
      >
        {verdictText(cell)}
      </span>
      <span className="line-clamp-2 w-full break-words text-[12px]">{cell.output}</span>
      {cell.reason ? (
        <span className="w-full truncate text-[11px] text-danger" title={cell.reason}>
          {cell.reason}
        </span>
      ) : null}
    </button>
  );
});

const Row = memo(function Row({
  row,
  template,
  onOpen,
}: {
  row: GridRow;
  template: string;
  onOpen: (row: number, target: number) => void;
}) {
  return (
    <div
      data-testid="eval-grid-row"
      data-row={row.row}
      className="grid border-b border-line"
      style={{ gridTemplateColumns: template, height: ROW_HEIGHT }}
    >
      <span className="px-2 py-1 font-mono text-[11px] text-muted">{row.row + 1}</span>
      <div className="min-w-0 overflow-hidden px-2 py-1 text-[12px]">
        <p className="line-clamp-2 break-words" title={row.prompt}>
          {row.prompt}
        </p>
        {row.expected !== null ? (
          <p className="truncate text-[11px] text-muted" title={row.expected}>
            expected: {row.expected}
          </p>
        ) : null}
      </div>
      {row.cells.map((cell) => (
        <Cell key={cell.target} cell={cell} onOpen={(target) => onOpen(row.row, target)} />
      ))}
    </div>
  );
});

function CellDialog({
  row,
  cell,
  model,
  onClose,
}: {
  row: GridRow;
  cell: GridCell;
  model: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      data-testid="eval-cell-detail"
      onClose={onClose}
      className="m-auto max-h-[85vh] w-[min(56rem,95vw)] overflow-y-auto rounded-lg border border-line bg-background p-4 text-foreground shadow-2xl backdrop:bg-black/40"
    >
      <header className="mb-2 flex items-center gap-2">
        <h2 className="font-semibold">
          Row {row.row + 1} · {model}
        </h2>
        <button
          type="button"
          onClick={() => dialog.current?.close()}
          className="ml-auto rounded border border-line px-2 py-0.5 text-[12px]"
        >
          Close
        </button>
      </header>
      <p className="mb-2 whitespace-pre-wrap rounded bg-panel px-2 py-1 text-[12px]">
        {row.prompt}
      </p>
      {cell.samples.map((sample) => (
        <section key={sample.sample} className="mb-3 border-t border-line pt-2">
          <p className="mb-1 text-[11px] text-muted">
            Sample {sample.sample + 1} · {sample.status}
            {sample.passed === null ? "" : sample.passed ? " · passed" : " · failed"}
            {sample.callId ? (
              <>
                {" · "}
                <a className="underline" href={`/api/calls/${sample.callId}`}>
                  call
                </a>
              </>
            ) : null}
          </p>
          <pre className="mb-1 max-h-60 overflow-auto whitespace-pre-wrap rounded border border-line p-2 text-[12px]">
            {sample.output ?? sample.error ?? ""}
          </pre>
          <ul className="text-[12px]">
            {sample.assertions.map((assertion, index) => (
              <li
                // Assertions keep their order; two of a type are told apart by position.
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list.
                key={index}
                className={assertion.passed ? "" : "text-danger"}
              >
                {assertion.passed ? "✓" : "✗"} {assertion.type}: {assertion.detail}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </dialog>
  );
}

/**
 * The results grid, rows × targets. Only the rows in view (and a few either side) are in the
 * DOM, so 1,000 rows × 4 targets scroll like 20.
 */
export function EvaluationGrid({ rows, models }: { rows: GridRow[]; models: string[] }) {
  const [scrollTop, setScrollTop] = useState(0);
  const [open, setOpen] = useState<{ row: number; target: number } | null>(null);
  const frame = useRef<number | null>(null);
  const template = `3rem minmax(14rem,1.3fr) repeat(${models.length}, minmax(13rem,1fr))`;
  const window = useMemo(
    () =>
      visibleRows({
        scrollTop,
        viewportHeight: VIEWPORT_HEIGHT,
        rowHeight: ROW_HEIGHT,
        count: rows.length,
      }),
    [scrollTop, rows.length],
  );
  const openRow = open ? rows[open.row] : undefined;
  const openCell = open ? openRow?.cells[open.target] : undefined;
  const onOpen = useMemo(() => (row: number, target: number) => setOpen({ row, target }), []);

  return (
    <div className="rounded-lg border border-line">
      <div
        data-testid="eval-grid"
        data-rows={rows.length}
        className="overflow-auto"
        style={{ maxHeight: VIEWPORT_HEIGHT }}
        onScroll={(event) => {
          const top = event.currentTarget.scrollTop;
          if (frame.current !== null) cancelAnimationFrame(frame.current);
          frame.current = requestAnimationFrame(() => setScrollTop(top));
        }}
      >
        <div
          className="sticky top-0 z-10 grid border-b border-line bg-panel text-[11px] font-medium text-muted"
          style={{ gridTemplateColumns: template }}
        >
          <span className="px-2 py-1">#</span>
          <span className="px-2 py-1">Prompt</span>
          {models.map((model, index) => (
            <span
              // The same model may be a target twice (with other parameters).
              // biome-ignore lint/suspicious/noArrayIndexKey: targets are positional.
              key={index}
              className="truncate border-l border-line px-2 py-1"
              data-testid="eval-grid-target"
            >
              {index + 1}. {model}
            </span>
          ))}
        </div>
        <div style={{ paddingTop: window.padTop, paddingBottom: window.padBottom }}>
          {rows.slice(window.start, window.end).map((row) => (
            <Row key={row.row} row={row} template={template} onOpen={onOpen} />
          ))}
        </div>
      </div>
      {open && openRow && openCell ? (
        <CellDialog
          row={openRow}
          cell={openCell}
          model={models[open.target] ?? ""}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </div>
  );
}
