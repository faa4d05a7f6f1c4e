import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { StrategosHeader } from '../messages/outbox-message';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import type { DeadLetter } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store.interface';
import type { StrategosMetrics } from '../metrics/strategos-metrics';

const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Moves messages from the dead-letter queue into the dead-letter store (acknowledged after the insert),
 * where they can be listed and replayed. Any body and any header is stored (the body's exact bytes when it is
 * not plain text, headers as text, an unreadable time replaced by the time of archiving); when the store fails,
 * the message stays on the queue, with an error log and a growing pause, never a silent tight loop.
 */
export class DeadLetterArchiver {
  private readonly logger = new Logger(DeadLetterArchiver.name);
  private consecutiveFailures = 0;

  constructor(
    private readonly store: DeadLetterStore,
    private readonly metrics?: StrategosMetrics,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    try {
      const letter = toDeadLetter(message);
      await this.store.add(letter);
      this.metrics?.deadLettered(letter.code);
      this.consecutiveFailures = 0;
      return { kind: 'ack' };
    } catch (error) {
      this.consecutiveFailures += 1;
      const delayMs = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(this.consecutiveFailures - 1, 10));
      this.logger.error({
        message: 'Dead letter not archived; it stays on the dead-letter queue',
        messageId: message.messageId,
        failures: this.consecutiveFailures,
        retryInMs: delayMs,
        error: error instanceof Error ? error.message : String(error),
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { kind: 'requeue' };
    }
  }
}

/** The stored form of a dead-lettered message; never throws, whatever its headers hold. */
export function toDeadLetter(message: IncomingMessage, now: Date = new Date()): DeadLetter {
  const headers: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(message.headers)) headers[storable(key)] = headerValue(value);
  const text = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined ? undefined : String(value);
  };
  // A message RabbitMQ dead-lettered itself (delivery limit, TTL, length limit) has only the broker's x-first-death-* headers.
  const brokerReason = text('x-first-death-reason');
  const originalQueue = text(StrategosHeader.DeadLetterQueue) ?? text('x-first-death-queue') ?? 'unknown';
  const deadLetteredAt = isoDate(text(StrategosHeader.DeadLetteredAt)) ?? now.toISOString();
  const content = message.content ?? Buffer.from(message.body, 'utf8');
  const plain = !message.body.includes('\u0000') && Buffer.from(message.body, 'utf8').equals(content);
  return {
    id: createHash('sha256')
      .update([originalQueue, message.messageId ?? '', deadLetteredAt, ''].join('\u0000'))
      .update(content)
      .digest('hex')
      .slice(0, 32),
    originalQueue,
    code: text(StrategosHeader.DeadLetterCode) ?? (brokerReason ? `BROKER_${brokerReason.toUpperCase()}` : 'UNKNOWN'),
    reason:
      text(StrategosHeader.DeadLetterReason) ??
      (brokerReason ? `RabbitMQ dead-lettered the message (${brokerReason}) from ${originalQueue}` : 'no reason recorded'),
    messageId: message.messageId === undefined ? null : storable(message.messageId),
    type: message.type === undefined ? null : storable(message.type),
    headers,
    body: message.body,
    ...(plain ? {} : { content }),
    deadLetteredAt,
  };
}

/** Text any store can keep: without NUL characters (PostgreSQL text and jsonb refuse them). */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

function headerValue(value: unknown): string | number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return storable(value);
  if (Buffer.isBuffer(value)) return storable(value.toString('utf8'));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return storable(typeof value === 'object' && value !== null ? (JSON.stringify(value) ?? String(value)) : String(value));
  } catch {
    return storable(String(value));
  }
}

function isoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
