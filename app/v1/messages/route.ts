/** `POST /v1/messages`: the gateway in Anthropic's wire format (see lib/gateway/serve.ts). */
import { serveGatewayRequest } from "@/lib/gateway/serve";

export function POST(request: Request): Promise<Response> {
  return serveGatewayRequest(request, "anthropic");
}
