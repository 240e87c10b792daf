import type { Usage } from "../types";
import { tokenCount } from "../usage";
import type { OciUsage } from "./oci-native-api";

/**
 * OCI native usage → normalized usage. `promptTokens` already includes cached tokens (modelled
 * on OpenAI); OCI reports no cache writes. Anything unreported stays `null`.
 */
export function convertOciUsage(usage: OciUsage | null | undefined): Usage | null {
  if (!usage) return null;
  return {
    inputTokens: tokenCount(usage.promptTokens),
    outputTokens: tokenCount(usage.completionTokens),
    cacheReadTokens: tokenCount(usage.promptTokensDetails?.cachedTokens),
    cacheWriteTokens: null,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: tokenCount(usage.completionTokensDetails?.reasoningTokens),
    raw: usage,
  };
}
