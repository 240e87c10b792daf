import { describe, expect, it } from "vitest";
import {
  DatasetImportError,
  type DatasetRow,
  datasetToCsv,
  datasetToJsonl,
  MAX_DATASET_ROWS,
  parseCsvDataset,
  parseJsonDatasetRows,
  parseJsonlDataset,
} from "./dataset-import";

function importError(run: () => unknown): DatasetImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetImportError) return error;
    throw error;
  }
  throw new Error("expected a DatasetImportError");
}

describe("parseCsvDataset", () => {
  it("takes the header as variable names and `expected` as the expected output", () => {
    const rows = parseCsvDataset('\uFEFFcity, expected\nParis,France\n"New\nYork",\n\n');
    expect(rows).toEqual([
      { vars: { city: "Paris" }, expected: "France" },
      { vars: { city: "New\nYork" }, expected: null },
    ]);
  });

  it("refuses a row with the wrong number of cells, naming its line", () => {
    const error = importError(() => parseCsvDataset("a,b\n1,2\n3\n"));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3: .*columns length is 2, got 1/);
  });

  it("refuses an unclosed quote", () => {
    expect(importError(() => parseCsvDataset('a\n"open\n')).message).toMatch(/Quote Not Closed/);
  });

  it("refuses duplicate or invalid column names on line 1", () => {
    expect(importError(() => parseCsvDataset("a,a\n1,2\n")).message).toBe(
      'line 1: column "a" appears twice',
    );
    expect(importError(() => parseCsvDataset("1st\nx\n")).line).toBe(1);
    expect(importError(() => parseCsvDataset("expected\nx\n")).message).toMatch(/no variable/);
  });

  it("refuses an empty file or one with only a header", () => {
    expect(importError(() => parseCsvDataset("")).message).toBe("the file is empty");
    expect(importError(() => parseCsvDataset("a,b\n")).message).toBe("the file has no rows");
  });

  it("refuses more rows than a test set may hold", () => {
    const text = `a\n${"x\n".repeat(MAX_DATASET_ROWS + 1)}`;
    expect(importError(() => parseCsvDataset(text)).message).toMatch(/at most 10000 rows/);
  });
});

describe("parseJsonlDataset", () => {
  it("reads nested and flat rows, skipping blank lines", () => {
    const text = '{"vars":{"q":"2+2"},"expected":"4"}\r\n\n{"q":"3+3","n":7,"expected":6}\n';
    expect(parseJsonlDataset(text)).toEqual([
      { vars: { q: "2+2" }, expected: "4" },
      { vars: { q: "3+3", n: "7" }, expected: "6" },
    ]);
  });

  it("names the first bad line and why", () => {
    expect(importError(() => parseJsonlDataset('{"q":"a"}\n{"q":\n')).message).toBe(
      "line 2: not valid JSON",
    );
    expect(importError(() => parseJsonlDataset('{"q":"a"}\n[1]\n')).message).toBe(
      "line 2: a row must be a JSON object",
    );
    expect(importError(() => parseJsonlDataset('{"q":{"deep":1}}\n')).message).toBe(
      'line 1: variable "q" must be text, a number or a boolean',
    );
    expect(importError(() => parseJsonlDataset('{"vars":"x"}\n')).message).toBe(
      "line 1: `vars` must be an object",
    );
    expect(importError(() => parseJsonlDataset('{"expected":"x"}\n')).message).toBe(
      "line 1: the row has no variables",
    );
  });

  it("refuses a file with no rows", () => {
    expect(importError(() => parseJsonlDataset("\n\n")).line).toBeNull();
  });
});

describe("export", () => {
  const rows: DatasetRow[] = [
    { vars: { q: 'say "hi", then\nstop' }, expected: "hi" },
    { vars: { q: "plain", extra: "x" }, expected: null },
  ];

  it("CSV round-trips through the importer", () => {
    const csv = datasetToCsv(rows);
    expect(csv.split("\r\n")[0]).toBe("q,extra,expected");
    expect(parseCsvDataset(csv)).toEqual([
      { vars: { q: 'say "hi", then\nstop', extra: "" }, expected: "hi" },
      { vars: { q: "plain", extra: "x" }, expected: null },
    ]);
  });

  it("JSONL round-trips through the importer", () => {
    expect(parseJsonlDataset(datasetToJsonl(rows))).toEqual(rows);
  });
});

describe("parseJsonDatasetRows", () => {
  it("reads the rows of a JSON body, naming a bad one by its position", () => {
    expect(parseJsonDatasetRows([{ vars: { q: "a" } }, { q: "b", expected: "c" }])).toEqual([
      { vars: { q: "a" }, expected: null },
      { vars: { q: "b" }, expected: "c" },
    ]);
    expect(importError(() => parseJsonDatasetRows([{ q: "a" }, 3])).message).toBe(
      "row 2: a row must be a JSON object",
    );
    expect(importError(() => parseJsonDatasetRows("x")).message).toBe(
      "`rows` must be a list of rows",
    );
    expect(importError(() => parseJsonDatasetRows([])).code).toBe("invalid_dataset");
  });
});
