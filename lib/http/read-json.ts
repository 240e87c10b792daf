/**
 * Reads a JSON request body with a hard byte limit. The limit is measured on the bytes that
 * arrive, not on `content-length` alone (which a client may omit or understate), and reading
 * stops as soon as it is exceeded.
 */
import { HttpError } from "./errors";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

function tooLarge(limitBytes: number): HttpError {
  return new HttpError({
    status: 413,
    code: "body_too_large",
    message: `the request body is larger than ${limitBytes} bytes`,
  });
}

/** How much past the limit is read and thrown away so the client gets a clean 413. */
const DRAIN_FACTOR = 4;

/**
 * Reads and drops the rest of an oversized body, up to a budget. A client still uploading
 * when the server hangs up sees a connection reset instead of the 413; draining a bounded
 * amount lets ordinary clients read the answer, and an endless upload is still cut off.
 */
async function discardRest(options: {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  budgetBytes: number;
}): Promise<void> {
  let discarded = 0;
  for (;;) {
    const { done, value } = await options.reader.read();
    if (done) return;
    discarded += value.byteLength;
    if (discarded > options.budgetBytes) {
      await options.reader.cancel().catch(() => undefined);
      return;
    }
  }
}

async function readLimitedBytes(request: Request, limitBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  // A body declared far beyond what would be drained is refused without reading it.
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limitBytes * (1 + DRAIN_FACTOR)) {
    await reader.cancel().catch(() => undefined);
    throw tooLarge(limitBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await discardRest({ reader, budgetBytes: limitBytes * DRAIN_FACTOR });
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads the raw body, refusing more than `limitBytes`. */
export function readBodyBytes(
  request: Request,
  options: { limitBytes: number },
): Promise<Uint8Array> {
  return readLimitedBytes(request, options.limitBytes);
}

/** Reads the body as UTF-8 text, refusing more than `limitBytes`. */
export async function readBodyText(
  request: Request,
  options: { limitBytes?: number } = {},
): Promise<string> {
  const bytes = await readLimitedBytes(request, options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError({
      status: 400,
      code: "invalid_json",
      message: "the request body is not valid UTF-8",
    });
  }
}

/**
 * Returns the parsed JSON value (still untyped: validate it with zod). The content type is not
 * enforced: `curl -d` sends form encoding by default, and cross-origin form posts are stopped
 * by the proxy, not here.
 */
export async function readJsonBody(
  request: Request,
  options: { limitBytes?: number } = {},
): Promise<unknown> {
  const limitBytes = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const text = await readBodyText(request, { limitBytes });
  if (text.trim() === "") {
    throw new HttpError({
      status: 400,
      code: "invalid_json",
      message: "the request body is empty",
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError({
      status: 400,
      code: "invalid_json",
      message: "the request body is not valid JSON",
    });
  }
}
