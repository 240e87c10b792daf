/**
 * The evaluation side of the store: saved prompts and their versions, test sets, evaluations
 * with their cells, and blind votes. A cell points at the recorded call that answered it, so
 * usage and cost are never copied: the call is the truth, as for every other call.
 */
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { ResponseFormat, ToolDefinition } from "@/lib/models/types";

export const prompts = sqliteTable(
  "prompts",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    latestVersion: integer("latest_version").notNull(),
  },
  (table) => [uniqueIndex("prompts_name_idx").on(table.name)],
);

export type PromptRow = typeof prompts.$inferSelect;

export const promptVersions = sqliteTable(
  "prompt_versions",
  {
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    system: text("system"),
    template: text("template").notNull(),
    tools: text("tools", { mode: "json" }).$type<ToolDefinition[]>(),
    responseFormat: text("response_format", { mode: "json" }).$type<ResponseFormat>(),
  },
  (table) => [primaryKey({ columns: [table.promptId, table.version] })],
);

export type PromptVersionRow = typeof promptVersions.$inferSelect;

export const datasets = sqliteTable("datasets", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  rowCount: integer("row_count").notNull(),
});

export type DatasetRecordRow = typeof datasets.$inferSelect;

export const datasetRows = sqliteTable(
  "dataset_rows",
  {
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    vars: text("vars", { mode: "json" }).$type<Record<string, string>>().notNull(),
    expected: text("expected"),
  },
  (table) => [primaryKey({ columns: [table.datasetId, table.position] })],
);

export type DatasetRowRow = typeof datasetRows.$inferSelect;

export type EvaluationStatus = "running" | "done" | "cancelled" | "interrupted";

export const evaluations = sqliteTable(
  "evaluations",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    status: text("status").$type<EvaluationStatus>().notNull(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id),
    promptVersion: integer("prompt_version").notNull(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id),
    /** The request as accepted: targets with their params, samples, assertions, concurrency. */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    totalCells: integer("total_cells").notNull(),
  },
  (table) => [index("evaluations_created_at_idx").on(table.createdAt)],
);

export type EvaluationRow = typeof evaluations.$inferSelect;

export type CellStatus = "pending" | "running" | "ok" | "error" | "cancelled" | "interrupted";

export const evaluationCells = sqliteTable(
  "evaluation_cells",
  {
    evaluationId: text("evaluation_id")
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    row: integer("row").notNull(),
    target: integer("target").notNull(),
    sample: integer("sample").notNull(),
    status: text("status").$type<CellStatus>().notNull(),
    /** The recorded call that answered, once there is one. */
    callId: text("call_id"),
    /** 1 passed, 0 failed, null not checked yet. */
    passed: integer("passed", { mode: "boolean" }),
    assertions: text("assertions", { mode: "json" }).$type<
      { type: string; passed: boolean; detail: string }[]
    >(),
    judgeScore: integer("judge_score"),
    judgeCallId: text("judge_call_id"),
  },
  (table) => [
    primaryKey({ columns: [table.evaluationId, table.row, table.target, table.sample] }),
    index("evaluation_cells_status_idx").on(table.evaluationId, table.status),
  ],
);

export type EvaluationCellRow = typeof evaluationCells.$inferSelect;

export const votes = sqliteTable(
  "votes",
  {
    id: text("id").primaryKey(),
    runId: text("run_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** The run's models by call index, as they were when the vote was cast. */
    models: text("models", { mode: "json" }).$type<string[]>().notNull(),
    /** A call index, `tie` or `both-bad`. */
    winner: text("winner").notNull(),
  },
  (table) => [uniqueIndex("votes_run_idx").on(table.runId)],
);

export type VoteRow = typeof votes.$inferSelect;
