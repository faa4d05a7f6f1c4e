/** No dead letter has this id (already replayed or discarded?). */
export class DeadLetterNotFoundError extends Error {
  override readonly name = 'DeadLetterNotFoundError';
  readonly code = 'DEAD_LETTER_NOT_FOUND';

  constructor(readonly id: string) {
    super(`No dead letter ${id}; list them with DeadLetters.list() (it may have been replayed or discarded already)`);
  }
}
