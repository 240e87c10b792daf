/**
 * Refuses to listen beyond loopback without `PLAYGROUND_TOKEN`: the playground spends money on
 * the configured keys, so anyone who can reach it must prove they may. Pure, so the start
 * script and tests share it.
 */

export type ListenVerdict = { ok: true } | { ok: false; message: string };

/** True for addresses that only this machine can reach. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  // IPv4-mapped IPv6 loopback, e.g. ::ffff:127.0.0.1
  const ipv4 = host.startsWith("::ffff:") ? host.slice("::ffff:".length) : host;
  const parts = ipv4.split(".");
  return (
    parts.length === 4 &&
    parts[0] === "127" &&
    parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
  );
}

export function checkListenAddress(options: {
  hostname: string;
  token: string | null | undefined;
}): ListenVerdict {
  if (isLoopbackHostname(options.hostname)) return { ok: true };
  const token = options.token?.trim() ?? "";
  if (token === "") {
    return {
      ok: false,
      message: `refusing to listen on ${options.hostname} without PLAYGROUND_TOKEN: anyone who can reach this address could spend your API keys. Set PLAYGROUND_TOKEN to a long random secret (e.g. \`openssl rand -hex 32\`), or listen on 127.0.0.1.`,
    };
  }
  if (token.length < 16) {
    return {
      ok: false,
      message: `refusing to listen on ${options.hostname}: PLAYGROUND_TOKEN is shorter than 16 characters. Use a long random secret (e.g. \`openssl rand -hex 32\`).`,
    };
  }
  return { ok: true };
}
