import { DROPPED_HEADERS_HEADER } from '../messages/message-limits';
import { StrategosHeader } from '../messages/outbox-message';
import type { Transport } from '../transport/transport.interface';
import type { DeadLetter, DeadLetterFilter } from './dead-letter';
import { DeadLetterNotFoundError } from './dead-letter-not-found.error';
import type { DeadLetterStore } from './dead-letter-store.interface';

const REASON_HEADERS: ReadonlySet<string> = new Set([
  StrategosHeader.DeadLetterCode,
  StrategosHeader.DeadLetterReason,
  StrategosHeader.DeadLetterQueue,
  StrategosHeader.DeadLetteredAt,
  StrategosHeader.DeadLetterExchange,
  DROPPED_HEADERS_HEADER,
]);

/**
 * Messages that could not be processed: list them, replay one to its original queue (after a fix), or discard it.
 *
 * @example for (const letter of await deadLetters.list({ code: 'UNKNOWN_WORKFLOW' })) await deadLetters.replay(letter.id);
 */
export class DeadLetters {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly transport: Transport,
    private readonly ready: () => Promise<void>,
  ) {}

  /** Dead letters, oldest first. */
  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    await this.ready();
    return this.store.list(filter);
  }

  /**
   * Publishes the message again, unchanged, to its original queue (an event: to its exchange, with its routing
   * key), then forgets it.
   * @throws DeadLetterNotFoundError `DEAD_LETTER_NOT_FOUND`.
   */
  async replay(id: string): Promise<DeadLetter> {
    await this.ready();
    const letter = await this.store.get(id);
    if (!letter) throw new DeadLetterNotFoundError(id);
    const headers = Object.fromEntries(Object.entries(letter.headers).filter(([key]) => !REASON_HEADERS.has(key)));
    await this.transport.publish([
      {
        exchange: String(letter.headers[StrategosHeader.DeadLetterExchange] ?? ''),
        routingKey: letter.originalQueue,
        messageId: letter.messageId ?? letter.id,
        type: letter.type ?? 'unknown',
        headers,
        body: letter.body,
      },
    ]);
    await this.store.remove(id);
    return letter;
  }

  /**
   * Forgets a dead letter for good.
   * @throws DeadLetterNotFoundError `DEAD_LETTER_NOT_FOUND`.
   */
  async discard(id: string): Promise<DeadLetter> {
    await this.ready();
    const letter = await this.store.remove(id);
    if (!letter) throw new DeadLetterNotFoundError(id);
    return letter;
  }
}
