import type { StrategosSettings } from '../config/strategos-settings';
import { MAX_DEAD_LETTER_REASON_LENGTH, withinHeaderBytes } from '../messages/message-limits';
import { StrategosHeader } from '../messages/outbox-message';
import { topologyNames } from '../messages/topology';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';

/**
 * Transport error codes after which publishing the same message again cannot help, with the dead-letter code of
 * the message: a command whose queue does not exist, and a message refused for its content (too large, headers
 * RabbitMQ closes the connection over, not encodable).
 */
const DEAD_END_CODES: Readonly<Record<string, string>> = {
  MESSAGE_UNROUTABLE: 'UNROUTABLE',
  MESSAGE_REFUSED: 'UNPUBLISHABLE',
  MESSAGE_TOO_LARGE: 'UNPUBLISHABLE',
  HEADERS_TOO_LARGE: 'UNPUBLISHABLE',
};

/** The dead-letter code of a message whose publish failed with `error`, or undefined when trying again may help. */
export function deadEndCode(error: unknown): string | undefined {
  return DEAD_END_CODES[String((error as { code?: unknown }).code)];
}

/** A copy of `message` for the namespace's dead-letter exchange, with the code, the reason and where it was meant to go. */
export function deadLetterCopy(
  message: OutgoingMessage,
  code: string,
  reason: string,
  settings: Pick<StrategosSettings, 'namespace' | 'limits'>,
): OutgoingMessage {
  const headers = {
    ...withinHeaderBytes(message.headers, settings.limits.maxHeaderBytes),
    [StrategosHeader.DeadLetterCode]: code,
    [StrategosHeader.DeadLetterReason]: reason.slice(0, MAX_DEAD_LETTER_REASON_LENGTH),
    [StrategosHeader.DeadLetterQueue]: message.routingKey,
    ...(message.exchange === '' ? {} : { [StrategosHeader.DeadLetterExchange]: message.exchange }),
    [StrategosHeader.DeadLetteredAt]: new Date().toISOString(),
  };
  return {
    ...message,
    exchange: topologyNames(settings.namespace).deadLetterExchange,
    routingKey: '',
    headers: headers as Record<string, string | number>,
  };
}

/**
 * Publishes `message` alone, or its dead-letter copy when the broker can never take it (see `deadEndCode`).
 * @returns the dead-letter code when the message was dead-lettered, undefined when it was published.
 * @throws the transport's error when publishing again may help (an outage).
 */
export async function publishOrDeadLetter(
  transport: Transport,
  message: OutgoingMessage,
  settings: Pick<StrategosSettings, 'namespace' | 'limits'>,
): Promise<string | undefined> {
  try {
    await transport.publish([message]);
    return undefined;
  } catch (error) {
    const code = deadEndCode(error);
    if (code === undefined) throw error;
    await transport.publish([deadLetterCopy(message, code, (error as Error).message, settings)]);
    return code;
  }
}
