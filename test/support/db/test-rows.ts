/**
 * Rows as the recorder writes them, for tests of the writer and the rollups: a run, and a call
 * at its start (running, nothing streamed yet).
 */
import type { CallInsert, RunInsert } from "@/lib/db/schema";

export function runRow(id: string, createdAt: Date): RunInsert {
  return { id, createdAt, messages: [], title: "", searchText: "" };
}

/** A running call of `values.model` (default `openai:gpt-4o-mini`); `values` win. */
export function runningCallRow(
  values: Partial<CallInsert> & { id: string; runId: string; startedAt: Date },
): CallInsert {
  const model = values.model ?? "openai:gpt-4o-mini";
  return {
    callIndex: 0,
    model,
    provider: model.slice(0, model.indexOf(":")) as CallInsert["provider"],
    modelId: model.slice(model.indexOf(":") + 1),
    params: {},
    output: "",
    toolCalls: [],
    usageStatus: "missing",
    status: "running",
    ...values,
  };
}
