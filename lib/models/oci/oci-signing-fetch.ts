/**
 * A `fetch` that OCI-signs every request (locus `OCIRequestSigner`). The `openai` SDK calls it
 * for the OpenAI-compatible path; the native chat transport calls it directly.
 *
 * Per request: drop any `authorization` / `x-api-key` the SDK added, set `opc-compartment-id`,
 * sign the exact body that is then sent, and forward the AbortSignal. A 401 from a token-based
 * signer refreshes the credentials and re-sends once.
 */
import type { HttpRequest } from "oci-common";
import type { OciRequestSigner } from "./oci-auth";

type Method = HttpRequest["method"];

const METHODS: ReadonlySet<string> = new Set([
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "CONNECT",
]);

/** Headers we always recompute: stale ones from a first attempt would break the signature. */
const REPLACED_HEADERS = [
  "authorization",
  "x-api-key",
  "content-length",
  "x-content-sha256",
  "x-date",
  "date",
  "host",
];

export interface OciSigningFetchOptions {
  signer: OciRequestSigner;
  /** Sent as `opc-compartment-id`; `null` sends no header. */
  compartmentId: string | null;
  /** The transport underneath; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

interface PlainRequest {
  url: string;
  method: Method;
  headers: Headers;
  /** UTF-8 text: oci-common hashes the body as text, so this is exactly what is signed and sent. */
  body: string | undefined;
  init: RequestInit;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

async function bodyText(body: BodyInit | null | undefined): Promise<string | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (typeof FormData !== "undefined" && body instanceof FormData) {
    // A multipart boundary is chosen by fetch itself, after signing; no OCI call needs it.
    throw new TypeError("OCI request signing does not support FormData bodies");
  }
  if (body instanceof ArrayBuffer) return utf8.decode(body);
  if (ArrayBuffer.isView(body)) {
    return utf8.decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  }
  // Blob and ReadableStream: read them whole; signing needs the digest before sending.
  return utf8.decode(await new Response(body).arrayBuffer());
}

async function toPlainRequest(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Promise<PlainRequest> {
  const fromRequest = input instanceof Request ? input : null;
  const url = fromRequest ? fromRequest.url : input instanceof URL ? input.href : String(input);
  const method = (init?.method ?? fromRequest?.method ?? "GET").toUpperCase();
  if (!METHODS.has(method)) throw new TypeError(`unsupported HTTP method ${method}`);
  const headers = new Headers(fromRequest?.headers);
  for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
  let body = await bodyText(init?.body);
  if (body === undefined && fromRequest?.body) body = await bodyText(fromRequest.body);
  return {
    url,
    method: method as Method,
    headers,
    body,
    init: { ...init, signal: init?.signal ?? fromRequest?.signal ?? null },
  };
}

export function createOciSigningFetch(options: OciSigningFetchOptions): typeof fetch {
  const { signer, compartmentId } = options;
  const transport = options.fetch ?? globalThis.fetch;

  const send = async (request: PlainRequest): Promise<Response> => {
    const headers = new Headers(request.headers);
    for (const name of REPLACED_HEADERS) headers.delete(name);
    if (compartmentId) headers.set("opc-compartment-id", compartmentId);
    await signer.sign({ method: request.method, uri: request.url, headers, body: request.body });
    // A string body goes out as its UTF-8 bytes: the very bytes whose digest was signed.
    const { duplex: _streamingOnly, ...init } = request.init as RequestInit & { duplex?: string };
    return transport(request.url, { ...init, method: request.method, headers, body: request.body });
  };

  return async (input, init) => {
    const request = await toPlainRequest(input, init);
    const response = await send(request);
    if (response.status !== 401 || !signer.refreshable) return response;
    // An expired token: refresh, sign again and re-send exactly once (locus pins this).
    await response.body?.cancel().catch(() => undefined);
    await signer.refresh();
    return send(request);
  };
}
