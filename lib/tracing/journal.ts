/**
 * The recorder's journal: an append-only file next to the database holding the batches it
 * could not write yet, one per line (`<epoch ms of its oldest record>\t<batch as JSON>`; JSON
 * has no raw tab or newline). The recorder appends a batch when the database refuses it and
 * reads the lines back, in order, once the database takes writes again; the file is removed
 * when every line is in the database.
 *
 * Appends are synchronous (a write into the page cache) so the order on disk is the order of
 * the records; the fsync that makes them durable runs on libuv's thread pool, off the event
 * loop. A kill -9 loses nothing that reached the page cache; the fsync is for power loss.
 */
import {
  closeSync,
  constants,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";

export interface JournalLine {
  /** When the oldest record of the batch was enqueued, in epoch milliseconds. */
  enqueuedAt: number;
  /** The batch as `encodeWriteBatch` wrote it. */
  text: string;
  /** The byte offset just past the line's newline. */
  end: number;
}

/** The name of the journal of the database at `databaseFile`. */
export function journalPathFor(databaseFile: string): string {
  return `${databaseFile}-recorder.jsonl`;
}

/** The read-ahead of a replay: many lines per read, grown for a line longer than it. */
const READ_CHUNK = 256 * 1024;

export class RecorderJournal {
  private fd: number | null = null;
  private size = 0;
  private syncedSize = 0;
  private syncing = false;
  private syncAgain = false;
  /** Bumped when the file is removed, so a late fsync callback knows its file is gone. */
  private generation = 0;
  private readBuffer = Buffer.allocUnsafe(READ_CHUNK);
  private readStart = 0;
  private readLength = 0;

  constructor(
    readonly path: string,
    private readonly log: (message: string) => void,
  ) {}

  get bytes(): number {
    return this.size;
  }

  get syncedBytes(): number {
    return this.syncedSize;
  }

  /**
   * Opens a journal left by an earlier process, if there is one; returns whether there was.
   * A last line without its newline was cut short mid-append and never reported as written:
   * it is cut off so new lines do not run into it.
   */
  openExisting(): boolean {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return false;
    }
    this.openFile();
    const fd = this.fd as number;
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (newline !== -1) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    if (end < size) {
      this.log(`journal: cut off ${size - end} bytes of a record left half-written by a crash`);
      ftruncateSync(fd, end);
    }
    this.size = end;
    this.syncedSize = end;
    return end > 0;
  }

  /** Appends one line and starts its fsync; throws (leaving the file as it was) on failure. */
  append(enqueuedAt: number, text: string): void {
    this.openFile();
    const fd = this.fd as number;
    const data = Buffer.from(`${enqueuedAt}\t${text}\n`, "utf8");
    let written = 0;
    try {
      while (written < data.length) {
        written += writeSync(fd, data, written, data.length - written, this.size + written);
      }
    } catch (error) {
      // A partial line would corrupt the next one.
      try {
        ftruncateSync(fd, this.size);
      } catch {
        // The next append starts at `size` again and overwrites it.
      }
      throw error;
    }
    // What was read ahead stays valid: bytes before the old end never change.
    this.size += data.length;
    this.sync();
  }

  /** The line starting at `offset`, or `null` past the last one. */
  readLine(offset: number): JournalLine | null {
    if (this.fd === null || offset >= this.size) return null;
    for (;;) {
      const buffered = offset >= this.readStart && offset < this.readStart + this.readLength;
      if (buffered) {
        const from = offset - this.readStart;
        const newline = this.readBuffer.indexOf(0x0a, from);
        if (newline !== -1 && newline < this.readLength) {
          const line = this.readBuffer.toString("utf8", from, newline);
          const tab = line.indexOf("\t");
          return {
            enqueuedAt: tab === -1 ? Number.NaN : Number(line.slice(0, tab)),
            text: tab === -1 ? line : line.slice(tab + 1),
            end: this.readStart + newline + 1,
          };
        }
        if (this.readStart + this.readLength >= this.size) {
          // Cannot happen for lines this class wrote; a file edited by hand ends the replay.
          return null;
        }
        // A line longer than what is buffered: read it whole.
        if (from === 0) this.readBuffer = Buffer.allocUnsafe(this.readBuffer.length * 2);
      }
      this.fill(offset);
    }
  }

  /** Reads from `offset` into the read-ahead buffer. */
  private fill(offset: number): void {
    const want = Math.min(this.readBuffer.length, this.size - offset);
    let filled = 0;
    while (filled < want) {
      const read = readSync(
        this.fd as number,
        this.readBuffer,
        filled,
        want - filled,
        offset + filled,
      );
      if (read === 0) break;
      filled += read;
    }
    this.readStart = offset;
    this.readLength = filled;
  }

  /** Makes every appended line durable before returning: for process exit. */
  syncNow(): void {
    if (this.fd === null || this.syncedSize === this.size) return;
    fdatasyncSync(this.fd);
    this.syncedSize = this.size;
  }

  /** Deletes the file: every line in it is in the database. */
  remove(): void {
    this.generation += 1;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    try {
      unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    this.size = 0;
    this.syncedSize = 0;
    this.readLength = 0;
  }

  /** Closes the file, leaving it on disk. */
  close(): void {
    this.generation += 1;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private openFile(): void {
    if (this.fd !== null) return;
    // Not O_APPEND: Linux ignores the position of a write to such a file, and a failed append
    // is undone by truncating back to `size`.
    this.fd = openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o600);
    this.size = fstatSync(this.fd).size;
    this.syncedSize = this.size;
  }

  private sync(): void {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    const fd = this.fd;
    if (fd === null) return;
    this.syncing = true;
    const generation = this.generation;
    const target = this.size;
    fdatasync(fd, (error) => {
      this.syncing = false;
      if (generation !== this.generation) return;
      if (error) {
        this.log(`journal: fsync failed (${error.code ?? error.message}); retrying`);
        this.syncAgain = true;
      } else {
        this.syncedSize = Math.max(this.syncedSize, target);
      }
      if (this.syncAgain) {
        this.syncAgain = false;
        setTimeout(() => this.sync(), error ? 100 : 0).unref();
      }
    });
  }
}
