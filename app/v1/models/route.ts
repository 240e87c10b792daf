/** `GET /v1/models` for both SDKs (see lib/gateway/list-models.ts). */
import { listGatewayModels } from "@/lib/gateway/list-models";
import { otherMethods } from "@/lib/http/methods";

export function GET(request: Request): Promise<Response> {
  return listGatewayModels(request);
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
