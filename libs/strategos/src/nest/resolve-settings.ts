import type { StrategosSettings } from '../config/strategos-settings';
import { WorkflowEventKind } from '../engine/workflow-event';
import { DEFAULT_MESSAGE_LIMITS, MAX_HEADER_BYTES_LIMIT } from '../messages/message-limits';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../step/retry-policy';
import { isLogLevel, LOG_LEVEL_ORDER } from '../logging/log-level';
import { StrategosConfigError } from './strategos-config.error';
import type { StrategosModuleOptions } from './strategos-module-options.interface';

const NAMESPACE_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * Validates `forRoot` options and fills the defaults.
 * @throws StrategosConfigError `INVALID_OPTION`, naming the option.
 */
export function resolveSettings(options: StrategosModuleOptions, env: NodeJS.ProcessEnv = process.env): StrategosSettings {
  const namespace = options.namespace ?? 'strategos';
  if (!NAMESPACE_PATTERN.test(namespace))
    throw new StrategosConfigError('namespace', `'${namespace}' must be lower case letters, digits, - or _, starting with a letter`);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.defaultRetry };
  positiveInteger('defaultRetry.maxAttempts', retry.maxAttempts);
  nonNegative('defaultRetry.initialDelayMs', retry.initialDelayMs);
  nonNegative('defaultRetry.maxDelayMs', retry.maxDelayMs);
  if (!(retry.multiplier >= 1)) throw new StrategosConfigError('defaultRetry.multiplier', 'must be 1 or more');
  if (!(retry.jitter >= 0 && retry.jitter <= 1)) throw new StrategosConfigError('defaultRetry.jitter', 'must be between 0 and 1');
  const settings: StrategosSettings = {
    namespace,
    queueType: options.rabbitmq?.queueType ?? 'quorum',
    prefetch: options.rabbitmq?.prefetch ?? 64,
    defaultRetry: retry,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
    steps: parseSteps(env.STRATEGOS_STEPS) ?? options.steps ?? 'all',
    outboxLeaseMs: options.outbox?.leaseMs ?? 10_000,
    relayIntervalMs: options.outbox?.relayIntervalMs ?? 250,
    relayBatchSize: options.outbox?.relayBatchSize ?? 500,
    relay: options.outbox?.relay ?? true,
    eventPollIntervalMs: options.events?.pollIntervalMs ?? 50,
    eventBatchSize: options.events?.batchSize ?? 1_000,
    publishedEventKinds: publishedEventKinds(options.events?.kinds),
    archiveDeadLetters: options.archiveDeadLetters ?? true,
    consumeStartCommands: options.consumeStartCommands ?? true,
    commitBatchSize: options.commitBatchSize ?? 256,
    commitConcurrency: options.commitConcurrency ?? 2,
    commitBacklogLimit: options.commitBacklogLimit ?? 10_000,
    storeRetry: {
      initialDelayMs: options.storeRetry?.initialDelayMs ?? 250,
      maxDelayMs: options.storeRetry?.maxDelayMs ?? 15_000,
      maxHoldMs: options.storeRetry?.maxHoldMs ?? 300_000,
    },
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    logLevel: options.logLevel ?? 'log',
    stalledAfterMs: options.stalledAfterMs ?? 60_000,
    limits: { ...DEFAULT_MESSAGE_LIMITS, ...options.limits },
    retention: {
      inboxMs: options.retention?.inboxMs ?? 86_400_000,
      finishedRunsMs: options.retention?.finishedRunsMs ?? 2_592_000_000,
      intervalMs: options.retention?.intervalMs ?? 60_000,
      batchSize: options.retention?.batchSize ?? 500,
      enabled: options.retention?.enabled ?? true,
    },
  };
  if (!['quorum', 'classic'].includes(settings.queueType))
    throw new StrategosConfigError('rabbitmq.queueType', `'${settings.queueType}' must be 'quorum' or 'classic'`);
  positiveInteger('rabbitmq.prefetch', settings.prefetch);
  positiveInteger('defaultTimeoutMs', settings.defaultTimeoutMs);
  positiveInteger('outbox.leaseMs', settings.outboxLeaseMs);
  positiveInteger('outbox.relayIntervalMs', settings.relayIntervalMs);
  positiveInteger('outbox.relayBatchSize', settings.relayBatchSize);
  positiveInteger('events.pollIntervalMs', settings.eventPollIntervalMs);
  positiveInteger('events.batchSize', settings.eventBatchSize);
  positiveInteger('commitBatchSize', settings.commitBatchSize);
  positiveInteger('commitConcurrency', settings.commitConcurrency);
  positiveInteger('commitBacklogLimit', settings.commitBacklogLimit);
  positiveInteger('storeRetry.initialDelayMs', settings.storeRetry.initialDelayMs);
  positiveInteger('storeRetry.maxDelayMs', settings.storeRetry.maxDelayMs);
  positiveInteger('storeRetry.maxHoldMs', settings.storeRetry.maxHoldMs);
  if (settings.storeRetry.maxDelayMs < settings.storeRetry.initialDelayMs)
    throw new StrategosConfigError('storeRetry.maxDelayMs', 'must be at least storeRetry.initialDelayMs');
  nonNegative('shutdownGraceMs', settings.shutdownGraceMs);
  positiveInteger('stalledAfterMs', settings.stalledAfterMs);
  if (!isLogLevel(settings.logLevel))
    throw new StrategosConfigError('logLevel', `'${String(settings.logLevel)}' must be one of ${LOG_LEVEL_ORDER.join(', ')}`);
  positiveInteger('limits.maxMessageBytes', settings.limits.maxMessageBytes);
  positiveInteger('limits.maxHeaderBytes', settings.limits.maxHeaderBytes);
  if (settings.limits.maxHeaderBytes > MAX_HEADER_BYTES_LIMIT)
    throw new StrategosConfigError(
      'limits.maxHeaderBytes',
      `must be at most ${MAX_HEADER_BYTES_LIMIT} (RabbitMQ refuses larger headers), got ${settings.limits.maxHeaderBytes}`,
    );
  positiveInteger('limits.maxJsonDepth', settings.limits.maxJsonDepth);
  nonNegative('retention.inboxMs', settings.retention.inboxMs);
  nonNegative('retention.finishedRunsMs', settings.retention.finishedRunsMs);
  positiveInteger('retention.intervalMs', settings.retention.intervalMs);
  positiveInteger('retention.batchSize', settings.retention.batchSize);
  return settings;
}

/** The kinds `events.kinds` lets through ('all' when absent). */
function publishedEventKinds(kinds: readonly WorkflowEventKind[] | undefined): 'all' | ReadonlySet<WorkflowEventKind> {
  if (kinds === undefined) return 'all';
  const known = Object.values(WorkflowEventKind) as string[];
  const unknown = Array.isArray(kinds) ? kinds.filter((kind) => !known.includes(kind)) : [String(kinds)];
  if (unknown.length > 0)
    throw new StrategosConfigError('events.kinds', `must list event kinds among ${known.join(', ')} (got ${unknown.join(', ')})`);
  return new Set(kinds);
}

function parseSteps(value: string | undefined): 'all' | string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === 'all') return 'all';
  if (value.trim() === 'none') return [];
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

function positiveInteger(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new StrategosConfigError(option, `must be a positive integer, got ${value}`);
}

function nonNegative(option: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new StrategosConfigError(option, `must be 0 or more, got ${value}`);
}
