/**
 * Runs before every page and API route: the `PLAYGROUND_TOKEN` gate and the cross-origin
 * guard (see `lib/http/access.ts`). Next 16 calls this file `proxy` (formerly `middleware`).
 */
import { type NextRequest, NextResponse } from "next/server";
import { getServerEnvironment } from "@/lib/env";
import { authenticateGatewayRequest } from "@/lib/gateway/keys";
import { checkAccess, type GatewayKeyCheck } from "@/lib/http/access";

const gatewayKeys: GatewayKeyCheck = {
  isValidGatewayKey: (headers) => authenticateGatewayRequest(headers) !== null,
};

export function proxy(request: NextRequest): Response {
  return checkAccess(request, getServerEnvironment(), gatewayKeys) ?? NextResponse.next();
}

export const config = {
  // Build assets and the icon carry no data and must load on the login page too.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
