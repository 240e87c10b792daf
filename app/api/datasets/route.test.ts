import { afterAll, describe, expect, it } from "vitest";
import { jsonRequest, openRouteDatabase, routeContext } from "@/test/support/route-database";
import { GET as getDataset, PUT as putDataset } from "./[datasetId]/route";
import { GET as listDatasets, POST as postDataset } from "./route";

const database = openRouteDatabase("datasets-route");
afterAll(() => database.cleanup());

function fileRequest(name: string, contentType: string, body: string): Request {
  return new Request(`http://127.0.0.1/api/datasets?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function read(datasetId: string, format?: string): Promise<Response> {
  const query = format ? `?format=${format}` : "";
  return getDataset(
    new Request(`http://127.0.0.1/api/datasets/${datasetId}${query}`),
    routeContext({ datasetId }),
  );
}

describe("datasets", () => {
  it("imports JSON, CSV and JSONL, and exports what it imported", async () => {
    const fromJson = await postDataset(
      jsonRequest("/api/datasets", {
        name: "json set",
        rows: [{ vars: { q: "2+2" }, expected: "4" }],
      }),
    );
    expect(fromJson.status).toBe(201);
    expect(await json(fromJson)).toEqual({ datasetId: expect.any(String), rows: 1 });

    const csv = 'city,expected\nParis,France\n"Rome, Lazio",Italy\n';
    const fromCsv = await postDataset(fileRequest("cities", "text/csv; charset=utf-8", csv));
    expect(fromCsv.status).toBe(201);
    const { datasetId } = await json<{ datasetId: string }>(fromCsv);
    const dataset = await json<{ variables: string[]; items: unknown[] }>(await read(datasetId));
    expect(dataset.variables).toEqual(["city"]);
    expect(dataset.items).toEqual([
      { vars: { city: "Paris" }, expected: "France" },
      { vars: { city: "Rome, Lazio" }, expected: "Italy" },
    ]);
    const exported = await read(datasetId, "csv");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="cities.csv"');
    expect(await exported.text()).toBe('city,expected\r\nParis,France\r\n"Rome, Lazio",Italy\r\n');

    const jsonl = '{"q":"a"}\n{"q":"b","expected":"B"}\n';
    const fromJsonl = await postDataset(fileRequest("lines", "application/jsonl", jsonl));
    expect(fromJsonl.status).toBe(201);
    const lines = await json<{ datasetId: string }>(fromJsonl);
    expect(await (await read(lines.datasetId, "jsonl")).text()).toBe(
      '{"vars":{"q":"a"}}\n{"vars":{"q":"b"},"expected":"B"}\n',
    );
    expect((await json<{ datasets: unknown[] }>(listDatasets())).datasets).toHaveLength(3);
  });

  it("refuses a malformed file naming its line, and saves nothing", async () => {
    const before = (await json<{ datasets: unknown[] }>(listDatasets())).datasets.length;
    const badCsv = await postDataset(fileRequest("bad", "text/csv", "a,b\n1,2\n3\n4,5\n"));
    expect(badCsv.status).toBe(400);
    const error = (await json<{ error: { code: string; message: string } }>(badCsv)).error;
    expect(error.code).toBe("invalid_dataset");
    expect(error.message).toMatch(/^line 3: /);

    const badJsonl = await postDataset(
      fileRequest("bad", "application/x-ndjson", '{"q":"a"}\nnope\n'),
    );
    expect((await json<{ error: { message: string } }>(badJsonl)).error.message).toBe(
      "line 2: not valid JSON",
    );
    const badRow = await postDataset(
      jsonRequest("/api/datasets", { name: "x", rows: [{ q: "a" }, []] }),
    );
    expect((await json<{ error: { message: string } }>(badRow)).error.message).toBe(
      "row 2: a row must be a JSON object",
    );
    expect((await json<{ datasets: unknown[] }>(listDatasets())).datasets).toHaveLength(before);
  });

  it("needs a name for a file, and refuses other content types", async () => {
    const unnamed = await postDataset(
      new Request("http://127.0.0.1/api/datasets", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: "a\n1\n",
      }),
    );
    expect(unnamed.status).toBe(400);
    expect((await json<{ error: { message: string } }>(unnamed)).error.message).toContain("name");
    expect((await postDataset(fileRequest("x", "text/plain", "a\n1\n"))).status).toBe(415);
  });

  it("answers 404 for an unknown dataset and 400 for an unknown format", async () => {
    expect((await read("nope")).status).toBe(404);
    const fromJson = await postDataset(
      jsonRequest("/api/datasets", { name: "f", rows: [{ q: "1" }] }),
    );
    const { datasetId } = await json<{ datasetId: string }>(fromJson);
    expect((await read(datasetId, "xml")).status).toBe(400);
  });
});

describe("editing a dataset", () => {
  it("PUT replaces the name and rows whole, and a bad row changes nothing", async () => {
    const created = await postDataset(
      jsonRequest("/api/datasets", { name: "edit me", rows: [{ q: "1" }, { q: "2" }] }),
    );
    const { datasetId } = await json<{ datasetId: string }>(created);
    const context = routeContext({ datasetId });
    const replaced = await putDataset(
      jsonRequest(
        `/api/datasets/${datasetId}`,
        { name: "edited", rows: [{ vars: { q: "3" }, expected: "x" }] },
        "PUT",
      ),
      context,
    );
    expect(replaced.status).toBe(200);
    const after = await json<{ name: string; items: unknown[] }>(await read(datasetId));
    expect(after.name).toBe("edited");
    expect(after.items).toEqual([{ vars: { q: "3" }, expected: "x" }]);

    const bad = await putDataset(
      jsonRequest(`/api/datasets/${datasetId}`, { name: "broken", rows: [{ q: "ok" }, 7] }, "PUT"),
      context,
    );
    expect(bad.status).toBe(400);
    expect(
      (await json<{ name: string; items: unknown[] }>(await read(datasetId))).items,
    ).toHaveLength(1);
    const missing = await putDataset(
      jsonRequest("/api/datasets/nope", { name: "x", rows: [{ q: "1" }] }, "PUT"),
      routeContext({ datasetId: "nope" }),
    );
    expect(missing.status).toBe(404);
  });
});
