import { createHash } from 'node:crypto';
import { StrategosHeader } from '../messages/outbox-message';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import type { DeadLetter } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type { StrategosMetrics } from '../metrics/strategos-metrics';

/**
 * Moves messages from the dead-letter queue into the dead-letter store (acknowledged after the insert),
 * where they can be listed and replayed.
 */
export class DeadLetterArchiver {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly metrics?: StrategosMetrics,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    try {
      const letter = toDeadLetter(message);
      await this.store.add(letter);
      this.metrics?.deadLettered(letter.code);
      return { kind: 'ack' };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { kind: 'requeue' };
    }
  }
}

function toDeadLetter(message: IncomingMessage): DeadLetter {
  const header = (name: string) => (message.headers[name] === undefined ? undefined : String(message.headers[name]));
  const originalQueue = header(StrategosHeader.DeadLetterQueue) ?? 'unknown';
  const deadLetteredAt = header(StrategosHeader.DeadLetteredAt) ?? new Date().toISOString();
  const headers: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(message.headers)) {
    if (typeof value === 'string' || typeof value === 'number') headers[key] = value;
  }
  return {
    id: createHash('sha256')
      .update([originalQueue, message.messageId ?? '', deadLetteredAt, message.body].join('\u0000'))
      .digest('hex')
      .slice(0, 32),
    originalQueue,
    code: header(StrategosHeader.DeadLetterCode) ?? 'UNKNOWN',
    reason: header(StrategosHeader.DeadLetterReason) ?? 'no reason recorded',
    messageId: message.messageId ?? null,
    type: message.type ?? null,
    headers,
    body: message.body,
    deadLetteredAt: new Date(deadLetteredAt).toISOString(),
  };
}
