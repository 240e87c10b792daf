/**
 * Loads what `generateCallCode` needs for a recorded call: its request as sent, with image
 * references put back inline from the image store, and the run's conversation for the
 * `lib/models` form.
 */
import "server-only";
import { eq } from "drizzle-orm";
import { type Database, getDb } from "@/lib/db/client";
import { calls, runs } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { inlineImages, type ReadImage } from "@/lib/runs/run-images";
import type { RecordedMessage } from "@/lib/tracing/types";
import type { CallCodeSource } from "./call-code";

function inlineMessage(message: RecordedMessage, readImage: ReadImage): unknown {
  if (typeof message.content === "string" || message.content === null) return message;
  return {
    ...message,
    content: message.content.map((part) => {
      if (part.type === "text") return part;
      const image = readImage(part.imageId);
      return image
        ? { type: "image", mediaType: image.mediaType, data: image.data.toString("base64") }
        : part;
    }),
  };
}

export function getCallCodeSource(options: {
  callId: string;
  readImage: ReadImage;
  database?: Database;
}): CallCodeSource {
  const { orm } = options.database ?? getDb();
  const row = orm
    .select({
      provider: calls.provider,
      modelId: calls.modelId,
      request: calls.request,
      params: calls.params,
      system: calls.system,
      messages: runs.messages,
      tools: runs.tools,
      responseFormat: runs.responseFormat,
    })
    .from(calls)
    .innerJoin(runs, eq(runs.id, calls.runId))
    .where(eq(calls.id, options.callId))
    .get();
  const shownId = JSON.stringify(options.callId.slice(0, 64));
  if (!row) throw new NotFoundError(`no call with id ${shownId}`);
  if (!row.request) throw new NotFoundError(`call ${shownId} has no recorded request yet`);
  const { promptCache, ...params } = row.params;
  return {
    provider: row.provider,
    modelId: row.modelId,
    request: {
      url: row.request.url,
      body: inlineImages(row.request.body, options.readImage),
    },
    locus: {
      messages: row.messages.map((message) => inlineMessage(message, options.readImage)),
      system: row.system,
      options: {
        ...params,
        ...(promptCache !== undefined
          ? { promptCache: typeof promptCache === "string" ? { ttl: promptCache } : promptCache }
          : {}),
        ...(row.tools ? { tools: row.tools } : {}),
        ...(row.responseFormat ? { responseFormat: row.responseFormat } : {}),
      },
    },
  };
}
