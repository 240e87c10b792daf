/**
 * The CSV of `GET /api/usage/export`: one row per call with every usage column, the cost
 * parts, timings and status. RFC 4180 quoting (CRLF lines, doubled quotes); unknown values
 * are empty fields, never 0.
 */
import type { CallRow } from "./schema";

type CsvValue = string | number | null;

interface CsvColumn {
  header: string;
  value: (row: CallRow) => CsvValue;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export const USAGE_CSV_COLUMNS: readonly CsvColumn[] = [
  { header: "call_id", value: (row) => row.id },
  { header: "run_id", value: (row) => row.runId },
  { header: "call_index", value: (row) => row.callIndex },
  { header: "started_at", value: (row) => iso(row.startedAt) },
  { header: "first_token_at", value: (row) => iso(row.firstTokenAt) },
  { header: "finished_at", value: (row) => iso(row.finishedAt) },
  { header: "model", value: (row) => row.model },
  { header: "provider", value: (row) => row.provider },
  { header: "model_id", value: (row) => row.modelId },
  { header: "status", value: (row) => row.status },
  { header: "stop_reason", value: (row) => row.stopReason },
  { header: "raw_stop_reason", value: (row) => row.rawStopReason },
  { header: "error_kind", value: (row) => row.errorKind },
  { header: "error_code", value: (row) => row.errorCode },
  { header: "error_status", value: (row) => row.errorStatus },
  { header: "error_message", value: (row) => row.errorMessage },
  { header: "ttft_ms", value: (row) => row.ttftMs },
  { header: "duration_ms", value: (row) => row.durationMs },
  { header: "usage_status", value: (row) => row.usageStatus },
  { header: "input_tokens", value: (row) => row.inputTokens },
  { header: "output_tokens", value: (row) => row.outputTokens },
  { header: "cache_read_tokens", value: (row) => row.cacheReadTokens },
  { header: "cache_write_tokens", value: (row) => row.cacheWriteTokens },
  { header: "cache_write_5m_tokens", value: (row) => row.cacheWrite5mTokens },
  { header: "cache_write_1h_tokens", value: (row) => row.cacheWrite1hTokens },
  { header: "reasoning_tokens", value: (row) => row.reasoningTokens },
  { header: "pricing_status", value: (row) => row.pricingStatus },
  { header: "price_source", value: (row) => row.priceSource },
  { header: "cost_usd", value: (row) => row.costUsd },
  { header: "cost_input_usd", value: (row) => row.costInputUsd },
  { header: "cost_cache_read_usd", value: (row) => row.costCacheReadUsd },
  { header: "cost_cache_write_usd", value: (row) => row.costCacheWriteUsd },
  { header: "cost_output_usd", value: (row) => row.costOutputUsd },
  { header: "savings_usd", value: (row) => row.savingsUsd },
  { header: "params", value: (row) => JSON.stringify(row.params) },
];

/**
 * One CSV field. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
 * prefixed with `'`; numbers are written as they are, so negative savings stay numbers.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** The header line, then one line per call. */
export function* usageCsvLines(rows: Iterable<CallRow>): Generator<string> {
  yield csvLine(USAGE_CSV_COLUMNS.map((column) => column.header));
  for (const row of rows) yield csvLine(USAGE_CSV_COLUMNS.map((column) => column.value(row)));
}
