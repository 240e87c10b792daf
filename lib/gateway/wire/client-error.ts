/**
 * An error in the wire format of the client that asked: Anthropic's for `/v1/messages`,
 * OpenAI's for everything else under `/v1` (the format most gateway clients speak).
 */
import { anthropicErrorBody } from "./anthropic-response";
import { openAIErrorBody } from "./openai-response";

export type WireFormat = "openai" | "anthropic";

export function wireFormatOfPath(pathname: string): WireFormat {
  return pathname === "/v1/messages" || pathname.startsWith("/v1/messages/")
    ? "anthropic"
    : "openai";
}

export function wireErrorResponse(options: {
  format: WireFormat;
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}): Response {
  const body =
    options.format === "anthropic"
      ? anthropicErrorBody({ status: options.status, message: options.message })
      : openAIErrorBody({ status: options.status, code: options.code, message: options.message });
  return Response.json(body, {
    status: options.status,
    headers: { "cache-control": "no-store", ...options.headers },
  });
}
