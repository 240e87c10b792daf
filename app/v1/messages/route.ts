/** `POST /v1/messages`: the gateway in Anthropic's wire format (see lib/gateway/serve.ts). */
import { serveGatewayRequest } from "@/lib/gateway/serve";
import { otherMethods } from "@/lib/http/methods";

export function POST(request: Request): Promise<Response> {
  return serveGatewayRequest(request, "anthropic");
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
