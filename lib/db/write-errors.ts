/**
 * Which failed writes are worth trying again unchanged. SQLite reports a lock, a full disk or
 * an I/O failure with these result codes; each can clear on its own (the other process
 * commits, space is freed, the disk comes back). Anything else — a constraint, a value the
 * driver cannot bind, a closed connection — fails the same way every time.
 */
const TRANSIENT_PREFIXES = [
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_NOMEM",
  "SQLITE_PROTOCOL",
  "SQLITE_INTERRUPT",
  "SQLITE_PERM",
];

export function errorCodeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

export function isTransientWriteError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== null && TRANSIENT_PREFIXES.some((prefix) => code.startsWith(prefix));
}
