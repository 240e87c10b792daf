/**
 * Saved prompts and their versions. A version is never changed: saving again adds the next
 * one, so an evaluation can always say exactly which prompt it ran.
 */
import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import { ConflictError } from "@/lib/errors";
import type { ResponseFormat, ToolDefinition } from "@/lib/models/types";
import { templateVariables } from "@/lib/prompts/template";
import { type Database, getDb } from "./client";
import { type PromptVersionRow, prompts, promptVersions } from "./schema";

interface WithDatabase {
  database?: Database;
}

export interface PromptVersionFields {
  system?: string;
  template: string;
  tools?: ToolDefinition[];
  responseFormat?: ResponseFormat;
}

export interface PromptVersionView {
  version: number;
  createdAt: string;
  system: string | null;
  template: string;
  variables: string[];
  tools: ToolDefinition[] | null;
  responseFormat: ResponseFormat | null;
}

export interface PromptSummary {
  promptId: string;
  name: string;
  createdAt: string;
  latestVersion: number;
}

export interface PromptView extends PromptSummary {
  versions: PromptVersionView[];
}

export class DuplicatePromptNameError extends ConflictError {
  override readonly name = "DuplicatePromptNameError";
  constructor(name: string) {
    super(`a prompt named ${JSON.stringify(name)} exists already: save a new version of it`);
  }
}

function versionView(row: PromptVersionRow): PromptVersionView {
  return {
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    system: row.system,
    template: row.template,
    variables: templateVariables(row.template),
    tools: row.tools ?? null,
    responseFormat: row.responseFormat ?? null,
  };
}

function versionValues(promptId: string, version: number, fields: PromptVersionFields, now: Date) {
  return {
    promptId,
    version,
    createdAt: now,
    system: fields.system ?? null,
    template: fields.template,
    tools: fields.tools ?? null,
    responseFormat: fields.responseFormat ?? null,
  };
}

export function insertPrompt(
  options: { id: string; name: string; fields: PromptVersionFields; now?: Date } & WithDatabase,
): { promptId: string; version: number } {
  const database = options.database ?? getDb();
  const now = options.now ?? new Date();
  return database.orm.transaction((tx) => {
    const existing = tx
      .select({ id: prompts.id })
      .from(prompts)
      .where(eq(prompts.name, options.name))
      .get();
    if (existing) throw new DuplicatePromptNameError(options.name);
    tx.insert(prompts)
      .values({ id: options.id, name: options.name, createdAt: now, latestVersion: 1 })
      .run();
    tx.insert(promptVersions)
      .values(versionValues(options.id, 1, options.fields, now))
      .run();
    return { promptId: options.id, version: 1 };
  });
}

/** Adds the next version; `null` when there is no such prompt. */
export function insertPromptVersion(
  options: { promptId: string; fields: PromptVersionFields; now?: Date } & WithDatabase,
): { promptId: string; version: number } | null {
  const database = options.database ?? getDb();
  const now = options.now ?? new Date();
  return database.orm.transaction((tx) => {
    const prompt = tx.select().from(prompts).where(eq(prompts.id, options.promptId)).get();
    if (!prompt) return null;
    const version = prompt.latestVersion + 1;
    tx.insert(promptVersions)
      .values(versionValues(prompt.id, version, options.fields, now))
      .run();
    tx.update(prompts).set({ latestVersion: version }).where(eq(prompts.id, prompt.id)).run();
    return { promptId: prompt.id, version };
  });
}

export function listPrompts(options: WithDatabase = {}): PromptSummary[] {
  const database = options.database ?? getDb();
  return database.orm
    .select()
    .from(prompts)
    .orderBy(desc(prompts.createdAt), asc(prompts.name))
    .all()
    .map((row) => ({
      promptId: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      latestVersion: row.latestVersion,
    }));
}

export function getPromptById(options: { promptId: string } & WithDatabase): PromptView | null {
  const database = options.database ?? getDb();
  const prompt = database.orm.select().from(prompts).where(eq(prompts.id, options.promptId)).get();
  if (!prompt) return null;
  const versions = database.orm
    .select()
    .from(promptVersions)
    .where(eq(promptVersions.promptId, prompt.id))
    .orderBy(asc(promptVersions.version))
    .all();
  return {
    promptId: prompt.id,
    name: prompt.name,
    createdAt: prompt.createdAt.toISOString(),
    latestVersion: prompt.latestVersion,
    versions: versions.map(versionView),
  };
}
