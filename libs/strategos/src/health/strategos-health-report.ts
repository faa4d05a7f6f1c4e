import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { hasGauges } from '../persistence/store-gauges';
import { stepQueueName } from '../messages/topology';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { Transport } from '../transport/transport.interface';

/** Running instances at one step that cannot move: no consumer on the step's queue for longer than the threshold. */
export interface StalledPosition {
  readonly workflow: string;
  readonly step: string;
  readonly queue: string;
  readonly runs: number;
  /** The oldest last transition among them. */
  readonly since: string;
}

/** What `StrategosRuntime.checkHealth()` reports: the broker, the database, and stalled runs. */
export interface StrategosHealthReport {
  /** `ok` when started, connected to the broker and the database answers; stalled runs do not change it. */
  readonly status: 'ok' | 'unavailable';
  readonly started: boolean;
  readonly transport: 'connected' | 'disconnected';
  /** `unknown` for a custom store that cannot be asked. */
  readonly database: 'up' | 'down' | 'unknown';
  /** The database's error, when it is down. */
  readonly databaseError?: string;
  /** Running instances whose step's queue has had no consumer for longer than `stalledAfterMs`. */
  readonly stalled: readonly StalledPosition[];
}

/** The parts of the runtime a health report reads. */
export interface HealthSources {
  readonly started: boolean;
  readonly transport: Transport;
  readonly store: WorkflowStore;
  readonly registry: WorkflowRegistry;
  readonly namespace: string;
  readonly stalledAfterMs: number;
}

/**
 * Builds the report: asks the store for running instances idle longer than `stalledAfterMs` (which also
 * proves the database answers), then the broker whether their steps' queues have consumers.
 */
export async function buildHealthReport(sources: HealthSources): Promise<StrategosHealthReport> {
  const transport = sources.transport.isHealthy() ? 'connected' : 'disconnected';
  let database: StrategosHealthReport['database'] = 'unknown';
  let databaseError: string | undefined;
  const stalled: StalledPosition[] = [];
  const store = sources.store;
  if (hasGauges(store)) {
    try {
      const idle = await store.idlePositions(sources.stalledAfterMs);
      database = 'up';
      for (const position of idle) {
        if (!sources.registry.find(position.workflow)?.stepsByName.has(position.phase)) continue;
        const queue = stepQueueName(sources.namespace, position.workflow, position.phase);
        if ((await sources.transport.consumerCount?.(queue)) !== 0) continue;
        stalled.push({
          workflow: position.workflow,
          step: position.phase,
          queue,
          runs: position.runs,
          since: position.since.toISOString(),
        });
      }
    } catch (error) {
      database = 'down';
      databaseError = error instanceof Error ? error.message : String(error);
    }
  }
  const up = sources.started && transport === 'connected' && database !== 'down';
  return {
    status: up ? 'ok' : 'unavailable',
    started: sources.started,
    transport,
    database,
    ...(databaseError !== undefined ? { databaseError } : {}),
    stalled,
  };
}
