import { DEFAULT_MESSAGE_LIMITS, MAX_HEADER_BYTES_LIMIT, type MessageLimits } from '../../messages/message-limits';
import { InvalidTransportOptionsError } from './invalid-transport-options.error';
import type { RabbitMqTransportOptions, RabbitMqTransportSettings } from './rabbitmq-transport-options.interface';

/**
 * Applies the defaults of {@link RabbitMqTransportOptions} and validates them.
 * @throws InvalidTransportOptionsError (`INVALID_TRANSPORT_OPTIONS`) naming the option.
 */
export function resolveRabbitMqTransportSettings(options: RabbitMqTransportOptions): RabbitMqTransportSettings {
  if (!/^amqps?:\/\//.test(options.url)) throw new InvalidTransportOptionsError('url', 'must be an amqp:// or amqps:// URL');
  const queueType = options.queueType ?? 'quorum';
  if (queueType !== 'quorum' && queueType !== 'classic')
    throw new InvalidTransportOptionsError('queueType', "must be 'quorum' or 'classic'");
  const initialDelayMs = positive('reconnect.initialDelayMs', options.reconnect?.initialDelayMs ?? 100);
  const maxDelayMs = positive('reconnect.maxDelayMs', options.reconnect?.maxDelayMs ?? 5000);
  if (maxDelayMs < initialDelayMs)
    throw new InvalidTransportOptionsError('reconnect.maxDelayMs', 'must not be less than reconnect.initialDelayMs');
  for (const [index, subscription] of (options.subscriptions ?? []).entries()) {
    if (subscription.queue.length === 0) throw new InvalidTransportOptionsError(`subscriptions[${index}].queue`, 'must not be empty');
  }
  return {
    url: options.url,
    queueType,
    reconnect: { initialDelayMs, maxDelayMs },
    connectionName: options.connectionName ?? 'strategos',
    unavailableTimeoutMs: positive('unavailableTimeoutMs', options.unavailableTimeoutMs ?? 30_000),
    shutdownGraceMs: positive('shutdownGraceMs', options.shutdownGraceMs ?? 10_000, true),
    subscriptions: options.subscriptions ?? [],
    limits: resolveLimits(options),
  };
}

function positive(option: string, value: number, zeroAllowed = false): number {
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new InvalidTransportOptionsError(
      option,
      `must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of milliseconds (got ${value})`,
    );
  }
  return value;
}

function resolveLimits(options: RabbitMqTransportOptions): MessageLimits {
  const limits = { ...DEFAULT_MESSAGE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1)
      throw new InvalidTransportOptionsError(`limits.${name}`, `must be a positive integer (got ${value})`);
  }
  if (limits.maxHeaderBytes > MAX_HEADER_BYTES_LIMIT)
    throw new InvalidTransportOptionsError(
      'limits.maxHeaderBytes',
      `must be at most ${MAX_HEADER_BYTES_LIMIT}: RabbitMQ refuses larger headers`,
    );
  return limits;
}
