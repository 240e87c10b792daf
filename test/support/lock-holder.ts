/**
 * Starts `sqlite-lock-holder.mjs` on a database file: a separate process that takes and holds
 * the write lock on command, for the fault-injection tests and the stall benchmark.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export interface LockHolder {
  /** Resolves once the other process holds the write lock. */
  lock(): Promise<void>;
  /** Resolves once it has committed; with how many times it took the lock so far. */
  release(): Promise<number>;
  /** Holds and frees the lock in turns until `release`. */
  flap(holdMs: number, freeMs: number): Promise<void>;
  /** Releases the lock and ends the process. */
  close(): Promise<void>;
}

const SCRIPT = path.resolve(import.meta.dirname, "sqlite-lock-holder.mjs");

export function startLockHolder(databaseFile: string): LockHolder {
  const child = spawn(process.execPath, [SCRIPT, databaseFile], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    stdio: ["pipe", "pipe", "inherit"],
  });
  const replies: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on("line", (line) => replies.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  function send(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      if (child.exitCode !== null) {
        reject(new Error("the lock holder has exited"));
        return;
      }
      replies.push(resolve);
      child.stdin.write(`${command}\n`);
    });
  }

  return {
    async lock() {
      await send("lock");
    },
    async release() {
      const reply = await send("release");
      return Number(reply.split(" ")[1]);
    },
    async flap(holdMs, freeMs) {
      await send(`flap ${holdMs} ${freeMs}`);
    },
    async close() {
      if (child.exitCode === null) child.stdin.end();
      await exited;
    },
  };
}
