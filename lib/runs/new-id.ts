/**
 * Run and call ids: UUIDv7 (RFC 9562), random bits behind a millisecond timestamp, so ids
 * sort as text in the order they were made. Time order keeps the B-tree indexes keyed by id
 * (each table's primary key, and `calls.run_id`) appending at their right edge, where a random
 * id writes to a random page of an ever larger index on every insert.
 */
import { v7 as uuidv7 } from "uuid";

export function newId(): string {
  return uuidv7();
}
