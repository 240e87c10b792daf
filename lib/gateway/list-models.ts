/**
 * `GET /v1/models`: the aliases and the models of the configured providers, limited to what
 * the key may call. Each entry carries both SDKs' fields (OpenAI's `object`/`owned_by`,
 * Anthropic's `type`/`display_name`), so `client.models.list()` works from either.
 */
import "server-only";
import { listModelAliases } from "@/lib/db/gateway-key-queries";
import { providerEnvironment } from "@/lib/env";
import { describeProviders } from "@/lib/runs/providers";
import { authenticateGatewayRequest } from "./keys";
import { wireErrorResponse } from "./wire/client-error";

export async function listGatewayModels(request: Request): Promise<Response> {
  const key = authenticateGatewayRequest(request.headers);
  if (!key) {
    return wireErrorResponse({
      format: request.headers.has("anthropic-version") ? "anthropic" : "openai",
      status: 401,
      code: "invalid_api_key",
      message: "a valid gateway key is required",
    });
  }
  const aliases = listModelAliases();
  const providers = await describeProviders({ environment: providerEnvironment() });
  const names = [
    ...aliases.map((alias) => ({ id: alias.alias, owner: "alias", createdAt: alias.createdAt })),
    ...providers
      .filter((provider) => provider.configuration.configured)
      .flatMap((provider) =>
        provider.models.map((model) => ({ id: model, owner: provider.id, createdAt: new Date(0) })),
      ),
  ];
  const allowed = key.models && key.models.length > 0 ? new Set(key.models) : null;
  const data = names
    .filter((name) => allowed === null || allowed.has(name.id))
    .map((name) => ({
      id: name.id,
      object: "model",
      created: Math.floor(name.createdAt.getTime() / 1000),
      owned_by: name.owner,
      type: "model",
      display_name: name.id,
      created_at: name.createdAt.toISOString(),
    }));
  return Response.json(
    {
      object: "list",
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    },
    { headers: { "cache-control": "no-store" } },
  );
}
