/** A message that could not be processed, kept with the reason until it is replayed or discarded. */
export interface DeadLetter {
  /** Stable per dead-lettered message (a redelivery of the same dead letter does not duplicate it). */
  readonly id: string;
  readonly originalQueue: string;
  /** Why: `MALFORMED_JSON`, `INVALID_COMMAND`, `UNKNOWN_WORKFLOW`, `UNKNOWN_INSTANCE`, `WRONG_QUEUE`, … */
  readonly code: string;
  readonly reason: string;
  readonly messageId: string | null;
  readonly type: string | null;
  readonly headers: Readonly<Record<string, string | number>>;
  /** The body as text (its UTF-8 decoding, NUL characters included). */
  readonly body: string;
  /** The body's exact bytes, when they are not plain storable text (NUL characters, invalid UTF-8). */
  readonly content?: Buffer;
  readonly deadLetteredAt: string;
}

/** A place in the list of dead letters (oldest first): a letter's time and id. */
export interface DeadLetterPosition {
  readonly deadLetteredAt: string;
  readonly id: string;
}

/** Filter of `DeadLetters.list`. */
export interface DeadLetterFilter {
  readonly code?: string;
  readonly queue?: string;
  /** Only the letters after this one (keyset paging: pass the last letter of the previous page). */
  readonly after?: DeadLetterPosition;
  /** @default 100 */
  readonly limit?: number;
}
