/** `POST /v1/chat/completions`: the gateway in OpenAI's wire format (see lib/gateway/serve.ts). */
import { serveGatewayRequest } from "@/lib/gateway/serve";

export function POST(request: Request): Promise<Response> {
  return serveGatewayRequest(request, "openai");
}
