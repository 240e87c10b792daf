/** `POST /v1/chat/completions`: the gateway in OpenAI's wire format (see lib/gateway/serve.ts). */
import { serveGatewayRequest } from "@/lib/gateway/serve";
import { otherMethods } from "@/lib/http/methods";

export function POST(request: Request): Promise<Response> {
  return serveGatewayRequest(request, "openai");
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
