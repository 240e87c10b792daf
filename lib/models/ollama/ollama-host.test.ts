import { describe, expect, it } from "vitest";
import { parseOllamaHost, resolveOllamaHostSetting } from "./ollama-host";

describe("parseOllamaHost", () => {
  it.each([
    ["127.0.0.1:11434", "http://127.0.0.1:11434"],
    ["localhost", "http://localhost:11434"],
    [":8080", "http://127.0.0.1:8080"],
    ["http://127.0.0.1:11434/", "http://127.0.0.1:11434"],
    ["http://gpu-box", "http://gpu-box:80"],
    ["https://ollama.example.com", "https://ollama.example.com:443"],
    ["https://proxy.example.com:8443/ollama/", "https://proxy.example.com:8443/ollama"],
    ["  0.0.0.0  ", "http://0.0.0.0:11434"],
  ])("normalizes %s like the SDK does", (value, expected) => {
    expect(parseOllamaHost(value)).toEqual({ url: expected, authorization: null });
  });

  it.each(["", "   ", "ftp://example.com", "http://[bad"])("rejects %j", (value) => {
    expect(parseOllamaHost(value)).toBeNull();
  });

  it("moves credentials out of the URL into a Basic header", () => {
    expect(parseOllamaHost("https://me:pa%40ss@proxy.example.com")).toEqual({
      url: "https://proxy.example.com:443",
      authorization: `Basic ${Buffer.from("me:pa@ss").toString("base64")}`,
    });
  });
});

describe("resolveOllamaHostSetting", () => {
  it("prefers the option, then OLLAMA_HOST, then the default", () => {
    expect(resolveOllamaHostSetting({ host: "a:1", environment: { OLLAMA_HOST: "b:2" } })).toEqual({
      value: "a:1",
      source: "option",
    });
    expect(resolveOllamaHostSetting({ environment: { OLLAMA_HOST: " b:2 " } })).toEqual({
      value: "b:2",
      source: "environment",
    });
    expect(resolveOllamaHostSetting({ environment: { OLLAMA_HOST: "" } })).toEqual({
      value: "http://127.0.0.1:11434",
      source: "default",
    });
  });
});
