import type { DeadLetter, DeadLetterFilter } from './dead-letter';

/** Where dead letters are kept for listing and replay (PostgreSQL, or memory). */
export interface DeadLetterStore {
  migrate(): Promise<void>;
  /** Adds a dead letter; adding the same id again changes nothing. */
  add(letter: DeadLetter): Promise<void>;
  /** Oldest first. */
  list(filter: DeadLetterFilter): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | null>;
  /** Removes and returns a dead letter (null when unknown). */
  remove(id: string): Promise<DeadLetter | null>;
  close(): Promise<void>;
}
