/** `GET /v1/models` for both SDKs (see lib/gateway/list-models.ts). */
import { listGatewayModels } from "@/lib/gateway/list-models";

export function GET(request: Request): Promise<Response> {
  return listGatewayModels(request);
}
