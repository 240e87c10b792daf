/**
 * Gateway keys: 32 random bytes, shown to the person once, stored as their SHA-256. A key of
 * that entropy needs no slow hash (nothing to brute-force), and a fast one keeps the check
 * on every `/v1` request cheap. Keys carry a prefix so secret scanners and people can tell
 * them apart from provider keys.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { getActiveGatewayKeyByHash } from "@/lib/db/gateway-key-queries";
import type { GatewayKeyRow } from "@/lib/db/schema";

export const GATEWAY_KEY_PREFIX = "lgw_";

export function generateGatewayKey(): string {
  return `${GATEWAY_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashGatewayKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What a list may show of a key: enough to recognise it, far too little to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, GATEWAY_KEY_PREFIX.length + 4);
}

/** The key a client sent: `Authorization: Bearer …` (OpenAI SDK) or `x-api-key` (Anthropic SDK). */
export function presentedGatewayKey(headers: Headers): string | null {
  const apiKey = headers.get("x-api-key")?.trim();
  if (apiKey) return apiKey;
  const match = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  return match?.[1]?.trim() || null;
}

/**
 * The active key row for what the client sent, or null. The lookup is by hash, so the time it
 * takes says nothing about the stored keys; the final comparison is constant-time anyway.
 */
export function verifyGatewayKey(key: string): GatewayKeyRow | null {
  if (!key.startsWith(GATEWAY_KEY_PREFIX) || key.length > 256) return null;
  const keyHash = hashGatewayKey(key);
  const row = getActiveGatewayKeyByHash({ keyHash });
  if (!row) return null;
  const given = Buffer.from(keyHash, "hex");
  const stored = Buffer.from(row.keyHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored) ? row : null;
}

export function authenticateGatewayRequest(headers: Headers): GatewayKeyRow | null {
  const key = presentedGatewayKey(headers);
  return key === null ? null : verifyGatewayKey(key);
}
