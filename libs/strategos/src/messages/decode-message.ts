import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DEFAULT_MESSAGE_LIMITS, jsonDepthExceeds, type MessageLimits } from './message-limits';

/** Why a received message cannot be processed: becomes the dead-letter code and reason. */
export class MessageRejection {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {}
}

/**
 * Parses a JSON body and validates it with the class-validator class `typeFor` picks for it; never throws.
 * `invalidCode` is the rejection code of a body that fails validation; a body over `limits.maxMessageBytes` is
 * `MESSAGE_TOO_LARGE`, one nested deeper than `limits.maxJsonDepth` is `MALFORMED_JSON` (checked before parsing, so
 * that nothing recursive ever sees it).
 */
export async function decodeMessage<T extends object>(
  body: string,
  typeFor: (fields: Readonly<Record<string, unknown>>) => new () => T,
  invalidCode: string,
  limits: Pick<MessageLimits, 'maxMessageBytes' | 'maxJsonDepth'> = DEFAULT_MESSAGE_LIMITS,
): Promise<T | MessageRejection> {
  // Length in UTF-16 units is at most the byte length: the exact count is only needed near the limit.
  if (body.length > limits.maxMessageBytes || Buffer.byteLength(body) > limits.maxMessageBytes)
    return new MessageRejection('MESSAGE_TOO_LARGE', `body is larger than ${limits.maxMessageBytes} bytes (limits.maxMessageBytes)`);
  if (jsonDepthExceeds(body, limits.maxJsonDepth))
    return new MessageRejection('MALFORMED_JSON', `body nests deeper than ${limits.maxJsonDepth} levels (limits.maxJsonDepth)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return new MessageRejection('MALFORMED_JSON', `body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return new MessageRejection(invalidCode, 'body is not a JSON object');
  const type = typeFor(parsed as Record<string, unknown>);
  const message = plainToInstance(type, parsed);
  const errors = await validate(message, { forbidUnknownValues: true });
  if (errors.length === 0) return message;
  const reason = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`).join('; ');
  return new MessageRejection(invalidCode, type.name.endsWith('Dto') ? reason : `${type.name}: ${reason}`);
}
