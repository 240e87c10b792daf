import { describe, expect, it } from "vitest";
import { checkListenAddress, isLoopbackHostname } from "./listen-guard";

describe("checkListenAddress", () => {
  it.each(["127.0.0.1", "localhost", "::1", "[::1]", "127.5.6.7", "::ffff:127.0.0.1"])(
    "allows loopback %s without a token",
    (hostname) => {
      expect(checkListenAddress({ hostname, token: undefined })).toEqual({ ok: true });
    },
  );

  it.each(["0.0.0.0", "::", "192.168.1.20", "example.com", "", "127.0.0.1.example.com"])(
    "refuses %s without a token and says what to set",
    (hostname) => {
      const verdict = checkListenAddress({ hostname, token: undefined });
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.message).toContain("PLAYGROUND_TOKEN");
    },
  );

  it("refuses a blank or short token beyond loopback", () => {
    expect(checkListenAddress({ hostname: "0.0.0.0", token: "   " }).ok).toBe(false);
    expect(checkListenAddress({ hostname: "0.0.0.0", token: "short" }).ok).toBe(false);
  });

  it("allows any address with a long token and never echoes it", () => {
    const token = "0123456789abcdef0123456789abcdef";
    expect(checkListenAddress({ hostname: "0.0.0.0", token })).toEqual({ ok: true });
    const refused = checkListenAddress({ hostname: "0.0.0.0", token: "tiny-secret" });
    expect(JSON.stringify(refused)).not.toContain("tiny-secret");
  });

  it("does not take a look-alike for loopback", () => {
    expect(isLoopbackHostname("127.0.0.256")).toBe(false);
    expect(isLoopbackHostname("localhost.example.com")).toBe(false);
  });
});
