import { describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME } from "@/lib/http/access";
import { POST } from "./route";

describe("POST /logout", () => {
  it("expires the session cookie on the path it was set for and sends the person to /login", () => {
    const response = POST();
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie.startsWith(`${SESSION_COOKIE_NAME}=;`)).toBe(true);
    expect(cookie).toContain("Max-Age=0");
    expect(cookie).toContain("Path=/");
  });
});
