/**
 * The code that makes a recorded call again: curl, Python and TypeScript with the provider's
 * official SDK, and TypeScript with `lib/models`. The SDK and curl forms replay the request
 * body exactly as it was sent (the stored `request` record); keys are always environment
 * variable references, never values — the record holds none to leak.
 */

export const CODE_LANGUAGES = ["curl", "python", "typescript", "locus"] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

export interface CallCodeSource {
  provider: string;
  modelId: string;
  /** The request as sent, images already put back inline. */
  request: { url: string; body: unknown };
  /** For the `lib/models` form: the conversation and options the run asked for. */
  locus: {
    messages: unknown[];
    system: string | null;
    options: Record<string, unknown>;
  };
}

/** The Anthropic API version the installed SDK sends (`anthropic-version`). */
const ANTHROPIC_VERSION = "2026-10-21";

const DEFAULT_ORIGINS: Record<string, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  ollama: "http://127.0.0.1:11434",
};

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A single-quoted shell word; `'` is closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A Python literal for a JSON value (JSON string escapes are valid Python escapes). */
function python(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => `${inner}${python(item, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries
    .map(([key, item]) => `${inner}${JSON.stringify(key)}: ${python(item, inner)},`)
    .join("\n")}\n${indent}}`;
}

/** The SDK base URL the recorded URL implies, or `null` when it is the SDK's default. */
function baseUrlOf(source: CallCodeSource, suffix: string): string | null {
  const url = source.request.url;
  const base = url.endsWith(suffix) ? url.slice(0, -suffix.length) : url;
  return base === DEFAULT_ORIGINS[source.provider] ? null : base;
}

function isStreaming(body: unknown): boolean {
  return (body as { stream?: unknown } | null)?.stream === true;
}

// --- curl -------------------------------------------------------------------------------

function curl(source: CallCodeSource): string {
  const body = json(source.request.body);
  const headers: string[] = ['-H "content-type: application/json"'];
  switch (source.provider) {
    case "openai":
      headers.push('-H "authorization: Bearer $OPENAI_API_KEY"');
      break;
    case "anthropic":
      headers.push('-H "x-api-key: $ANTHROPIC_API_KEY"');
      headers.push(`-H "anthropic-version: ${ANTHROPIC_VERSION}"`);
      break;
    case "oci":
      // OCI signs every request with the API key of a config profile; curl cannot, the CLI can.
      return [
        "# OCI requests are signed; the OCI CLI signs with your config profile.",
        "oci raw-request --http-method POST \\",
        `  --target-uri ${shellQuote(source.request.url)} \\`,
        '  --profile "$OCI_PROFILE" \\',
        `  --request-body ${shellQuote(body)}`,
        "",
      ].join("\n");
    default:
      break;
  }
  return [
    `curl ${isStreaming(source.request.body) ? "--no-buffer " : ""}${shellQuote(source.request.url)} \\`,
    ...headers.map((header) => `  ${header} \\`),
    `  --data-binary ${shellQuote(body)}`,
    "",
  ].join("\n");
}

// --- Python -----------------------------------------------------------------------------

function pythonCode(source: CallCodeSource): string {
  const body = source.request.body;
  const streaming = isStreaming(body);
  const request = `request = ${python(body)}\n`;
  switch (source.provider) {
    case "openai":
    case "oci": {
      const base =
        source.provider === "oci" ? source.request.url.replace(/\/chat\/completions$/, "") : null;
      const openaiBase =
        source.provider === "openai" ? baseUrlOf(source, "/chat/completions") : base;
      const lines = ["from openai import OpenAI", ""];
      if (source.provider === "oci") {
        lines.push(
          "# OCI signs requests with your config profile: pass a signing http_client",
          "# (e.g. oci-openai's OciUserPrincipalAuth) instead of an API key.",
        );
      }
      lines.push(
        `client = OpenAI(${openaiBase ? `base_url=${JSON.stringify(openaiBase)}` : ""})  # reads OPENAI_API_KEY`,
        "",
        request,
        "response = client.chat.completions.create(**request)",
      );
      lines.push(
        streaming
          ? 'for chunk in response:\n    if chunk.choices and chunk.choices[0].delta.content:\n        print(chunk.choices[0].delta.content, end="", flush=True)\nprint()'
          : "print(response.choices[0].message.content)",
      );
      return `${lines.join("\n")}\n`;
    }
    case "anthropic": {
      const base = baseUrlOf(source, "/v1/messages");
      return `${[
        "import anthropic",
        "",
        `client = anthropic.Anthropic(${base ? `base_url=${JSON.stringify(base)}` : ""})  # reads ANTHROPIC_API_KEY`,
        "",
        request,
        "response = client.messages.create(**request)",
        streaming
          ? 'for event in response:\n    if event.type == "content_block_delta" and event.delta.type == "text_delta":\n        print(event.delta.text, end="", flush=True)\nprint()'
          : 'print("".join(block.text for block in response.content if block.type == "text"))',
      ].join("\n")}\n`;
    }
    case "ollama": {
      const host = source.request.url.replace(/\/api\/chat$/, "");
      return `${[
        "import ollama",
        "",
        `client = ollama.Client(host=${JSON.stringify(host)})`,
        "",
        request,
        "response = client.chat(**request)",
        streaming
          ? 'for chunk in response:\n    print(chunk["message"]["content"], end="", flush=True)\nprint()'
          : 'print(response["message"]["content"])',
      ].join("\n")}\n`;
    }
    default:
      return `# No official SDK for ${source.provider}; the request as sent:\n${request}`;
  }
}

// --- TypeScript -------------------------------------------------------------------------

function typescriptCode(source: CallCodeSource): string {
  const body = source.request.body;
  const streaming = isStreaming(body);
  switch (source.provider) {
    case "openai":
    case "oci": {
      const base =
        source.provider === "oci"
          ? source.request.url.replace(/\/chat\/completions$/, "")
          : baseUrlOf(source, "/chat/completions");
      const lines = ['import OpenAI from "openai";', ""];
      if (source.provider === "oci") {
        lines.push(
          "// OCI signs requests with your config profile: give the client a signing `fetch`",
          "// (oci-common's DefaultRequestSigner) instead of an API key.",
        );
      }
      lines.push(
        `const client = new OpenAI(${base ? `{ baseURL: ${JSON.stringify(base)} }` : ""}); // reads OPENAI_API_KEY`,
        "",
        `const response = await client.chat.completions.create(${json(body)});`,
        streaming
          ? 'for await (const chunk of response) {\n  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");\n}\nprocess.stdout.write("\\n");'
          : "console.log(response.choices[0]?.message.content);",
      );
      return `${lines.join("\n")}\n`;
    }
    case "anthropic": {
      const base = baseUrlOf(source, "/v1/messages");
      return `${[
        'import Anthropic from "@anthropic-ai/sdk";',
        "",
        `const client = new Anthropic(${base ? `{ baseURL: ${JSON.stringify(base)} }` : ""}); // reads ANTHROPIC_API_KEY`,
        "",
        `const response = await client.messages.create(${json(body)});`,
        streaming
          ? 'for await (const event of response) {\n  if (event.type === "content_block_delta" && event.delta.type === "text_delta") {\n    process.stdout.write(event.delta.text);\n  }\n}\nprocess.stdout.write("\\n");'
          : 'console.log(response.content.map((block) => (block.type === "text" ? block.text : "")).join(""));',
      ].join("\n")}\n`;
    }
    case "ollama": {
      const host = source.request.url.replace(/\/api\/chat$/, "");
      return `${[
        'import { Ollama } from "ollama";',
        "",
        `const client = new Ollama({ host: ${JSON.stringify(host)} });`,
        "",
        `const response = await client.chat(${json(body)});`,
        streaming
          ? 'for await (const chunk of response) {\n  process.stdout.write(chunk.message.content);\n}\nprocess.stdout.write("\\n");'
          : "console.log(response.message.content);",
      ].join("\n")}\n`;
    }
    default:
      return `// No official SDK for ${source.provider}; the request as sent:\nconst request = ${json(body)};\n`;
  }
}

// --- TypeScript with lib/models -----------------------------------------------------------

function locusCode(source: CallCodeSource): string {
  const messages = source.locus.system
    ? [{ role: "system", content: source.locus.system }, ...source.locus.messages]
    : source.locus.messages;
  return `${[
    'import { getModel } from "@/lib/models";',
    "",
    "// Keys and hosts come from the environment, as in the playground.",
    `const model = getModel(${JSON.stringify(`${source.provider}:${source.modelId}`)});`,
    "",
    `for await (const event of model.stream(${json(messages)}, ${json(source.locus.options)})) {`,
    '  if (event.type === "text-delta") process.stdout.write(event.delta);',
    '  if (event.type === "finish") console.log("\\n", event.stopReason, event.usage, event.error);',
    "}",
  ].join("\n")}\n`;
}

export function generateCallCode(source: CallCodeSource, language: CodeLanguage): string {
  switch (language) {
    case "curl":
      return curl(source);
    case "python":
      return pythonCode(source);
    case "typescript":
      return typescriptCode(source);
    case "locus":
      return locusCode(source);
    default: {
      const exhaustive: never = language;
      throw new TypeError(`unknown language ${String(exhaustive)}`);
    }
  }
}
