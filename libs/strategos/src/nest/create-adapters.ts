import { Logger } from '@nestjs/common';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.interface';
import { InMemoryDeadLetterStore } from '../dead-letters/in-memory-dead-letter-store';
import { PostgresDeadLetterStore } from '../dead-letters/postgres-dead-letter-store';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import { PostgresWorkflowStore } from '../persistence/postgres/postgres-workflow-store';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { InMemoryTransport } from '../transport/in-memory/in-memory-transport';
import { RabbitMqTransport } from '../transport/rabbitmq/rabbitmq-transport';
import type { Transport } from '../transport/transport.interface';
import type { StrategosModuleOptions } from './strategos-module-options.interface';

const logger = new Logger('Strategos');

/** The transport `forRoot` options ask for: the given instance, RabbitMQ, or in memory (said in the log). */
export function createTransport(options: StrategosModuleOptions): Transport {
  if (options.transport) return options.transport;
  if (options.rabbitmq)
    return new RabbitMqTransport({
      url: options.rabbitmq.url,
      queueType: options.rabbitmq.queueType,
      shutdownGraceMs: options.shutdownGraceMs,
      limits: options.limits,
      connectionName: `strategos-${options.namespace ?? 'strategos'}-${process.pid}`,
    });
  logger.warn('No rabbitmq option: using the in-memory transport (single process, nothing survives a restart)');
  return new InMemoryTransport();
}

/** The store `forRoot` options ask for: the given instance, PostgreSQL, or in memory (said in the log). */
export function createStore(options: StrategosModuleOptions): WorkflowStore {
  if (options.store) return options.store;
  if (options.postgres)
    return new PostgresWorkflowStore({ applicationName: `strategos-${options.namespace ?? 'strategos'}`, ...options.postgres });
  logger.warn('No postgres option: using the in-memory store (nothing survives a restart)');
  return new InMemoryWorkflowStore();
}

/** Where dead letters are archived: next to the workflow store (PostgreSQL), else in memory. */
export function createDeadLetterStore(options: StrategosModuleOptions): DeadLetterStore {
  if (options.deadLetterStore) return options.deadLetterStore;
  if (options.postgres && !options.store) return new PostgresDeadLetterStore(options.postgres);
  return new InMemoryDeadLetterStore();
}
