/**
 * Test sets from files: CSV (a header row of variable names, an optional `expected` column) or
 * JSONL (one row a line, `{ "vars": { … }, "expected"? }` or a flat object whose `expected` key is
 * the expected output and whose other keys are variables). A file with any bad row is refused
 * whole, naming the first bad line and why, so nothing partial is ever saved.
 */
import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { InvalidInputError } from "@/lib/errors";

export interface DatasetRow {
  vars: Record<string, string>;
  expected: string | null;
}

export const MAX_DATASET_ROWS = 10_000;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class DatasetImportError extends InvalidInputError {
  override readonly name = "DatasetImportError";
  /** 1-based line of the file (or row of a JSON body), `null` for the file as a whole. */
  readonly line: number | null;
  readonly reason: string;
  constructor(line: number | null, reason: string, where = "line") {
    super({
      code: "invalid_dataset",
      message: line === null ? reason : `${where} ${line}: ${reason}`,
    });
    this.line = line;
    this.reason = reason;
  }
}

function checkRowCount(count: number): void {
  if (count === 0) throw new DatasetImportError(null, "the file has no rows");
  if (count > MAX_DATASET_ROWS) {
    throw new DatasetImportError(null, `at most ${MAX_DATASET_ROWS} rows (the file has ${count})`);
  }
}

function checkVariableName(name: string, line: number): void {
  if (!VARIABLE_NAME.test(name)) {
    throw new DatasetImportError(
      line,
      `${JSON.stringify(name)} is not a variable name (letters, digits, _ . -, not starting with a digit)`,
    );
  }
}

export function parseCsvDataset(text: string): DatasetRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (names: string[]) => {
        header = names.map((name) => name.trim());
        return header;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const reason = error.message.replace(/ (on|at) line \d+$/, "");
      throw new DatasetImportError(typeof line === "number" ? line : null, reason);
    }
    throw error;
  }
  if (header.length === 0) throw new DatasetImportError(null, "the file is empty");
  const seen = new Set<string>();
  for (const name of header) {
    checkVariableName(name, 1);
    if (seen.has(name))
      throw new DatasetImportError(1, `column ${JSON.stringify(name)} appears twice`);
    seen.add(name);
  }
  if (!header.some((name) => name !== "expected")) {
    throw new DatasetImportError(1, "the header names no variable (only `expected`)");
  }
  checkRowCount(records.length);
  return records.map(({ record }) => {
    const vars: Record<string, string> = {};
    let expected: string | null = null;
    for (const [name, value] of Object.entries(record)) {
      if (name === "expected") expected = value === "" ? null : value;
      else vars[name] = value;
    }
    return { vars, expected };
  });
}

function textValue(value: unknown, what: string, line: number): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new DatasetImportError(line, `${what} must be text, a number or a boolean`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One row of a JSON or JSONL test set. `line` names it in errors. */
export function datasetRowFromJson(value: unknown, line: number): DatasetRow {
  if (!isObject(value)) throw new DatasetImportError(line, "a row must be a JSON object");
  const nested = isObject(value.vars);
  if ("vars" in value && !nested) throw new DatasetImportError(line, "`vars` must be an object");
  const source = nested ? (value.vars as Record<string, unknown>) : value;
  const vars: Record<string, string> = {};
  for (const [name, raw] of Object.entries(source)) {
    if (!nested && name === "expected") continue;
    checkVariableName(name, line);
    vars[name] = textValue(raw, `variable ${JSON.stringify(name)}`, line);
  }
  if (Object.keys(vars).length === 0)
    throw new DatasetImportError(line, "the row has no variables");
  const expected =
    value.expected === undefined || value.expected === null
      ? null
      : textValue(value.expected, "`expected`", line);
  return { vars, expected };
}

/** The `rows` of a JSON body (`POST /api/datasets`); errors name the row, counted from 1. */
export function parseJsonDatasetRows(rows: unknown): DatasetRow[] {
  if (!Array.isArray(rows)) throw new DatasetImportError(null, "`rows` must be a list of rows");
  const parsed = rows.map((value, index) => {
    try {
      return datasetRowFromJson(value, index + 1);
    } catch (error) {
      if (error instanceof DatasetImportError && error.line !== null) {
        throw new DatasetImportError(error.line, error.reason, "row");
      }
      throw error;
    }
  });
  checkRowCount(parsed.length);
  return parsed;
}

export function parseJsonlDataset(text: string): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((content, index) => {
    if (content.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      throw new DatasetImportError(index + 1, "not valid JSON");
    }
    rows.push(datasetRowFromJson(value, index + 1));
  });
  checkRowCount(rows.length);
  return rows;
}

/** Rows as CSV again, with the union of the rows' variables as columns and `expected` last. */
export function datasetToCsv(rows: readonly DatasetRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row.vars)))];
  const hasExpected = rows.some((row) => row.expected !== null);
  const header = hasExpected ? [...columns, "expected"] : columns;
  const records = rows.map((row) => {
    const cells = columns.map((name) => row.vars[name] ?? "");
    if (hasExpected) cells.push(row.expected ?? "");
    return cells;
  });
  return stringify([header, ...records], { record_delimiter: "windows" });
}

export function datasetToJsonl(rows: readonly DatasetRow[]): string {
  return rows
    .map((row) => JSON.stringify(row.expected === null ? { vars: row.vars } : row))
    .join("\n")
    .concat("\n");
}
