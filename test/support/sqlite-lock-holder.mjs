/**
 * Another process holding the database's write lock, as a backup, a `sqlite3` shell or a long
 * report would: its own better-sqlite3 connection and `BEGIN IMMEDIATE`. Plain JavaScript so it
 * starts without a TypeScript loader. Driven over stdin, one command a line, each answered on
 * stdout once done:
 *   lock                     → "locked"
 *   release                  → "released"
 *   flap <holdMs> <freeMs>   → "flapping": hold and free the lock in turns until `release`
 * Run with: node test/support/sqlite-lock-holder.mjs <database file>
 */
import { createInterface } from "node:readline";
import Database from "better-sqlite3";

const connection = new Database(process.argv[2], { fileMustExist: true });
// Waits for the recorder's own short transactions to end before taking the lock.
connection.pragma("busy_timeout = 10000");
let flapTimer = null;
let acquired = 0;

function lock() {
  if (!connection.inTransaction) {
    connection.exec("BEGIN IMMEDIATE");
    acquired += 1;
  }
}

function release() {
  if (connection.inTransaction) connection.exec("COMMIT");
}

function stopFlapping() {
  if (flapTimer) clearTimeout(flapTimer);
  flapTimer = null;
}

function flap(holdMs, freeMs) {
  const step = () => {
    if (connection.inTransaction) {
      release();
      flapTimer = setTimeout(step, freeMs);
    } else {
      lock();
      flapTimer = setTimeout(step, holdMs);
    }
  };
  step();
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, ...values] = line.trim().split(/\s+/);
  if (command === "lock") {
    stopFlapping();
    lock();
    process.stdout.write("locked\n");
  } else if (command === "release") {
    stopFlapping();
    release();
    process.stdout.write(`released ${acquired}\n`);
  } else if (command === "flap") {
    stopFlapping();
    flap(Number(values[0]), Number(values[1]));
    process.stdout.write("flapping\n");
  }
});
process.stdin.on("end", () => {
  stopFlapping();
  release();
  connection.close();
  process.exit(0);
});
