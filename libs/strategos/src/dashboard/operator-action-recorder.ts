import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import { recordOperatorAction, type OperatorActionRecord } from '../engine/operator-action';
import type { TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';

const MAX_ATTEMPTS = 10;

/**
 * Appends `OperatorAction` events to runs' histories through the runtime's committer: a version-guarded
 * transition like any other (next sequence, no command), also published on the events exchange.
 */
export class OperatorActionRecorder {
  private readonly logger = new Logger('StrategosDashboard');

  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
  ) {}

  /** Records `record` on the run; returns false (and logs) when the run is unknown or kept changing. */
  async record(workflowId: string, record: OperatorActionRecord): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const instance = await this.store.load(workflowId);
      const definition = instance && this.registry.find(instance.workflowName);
      if (!instance || !definition) {
        this.logger.warn({ message: 'Operator action not recorded: unknown run or workflow', workflowId, action: record.action });
        return false;
      }
      const transition = recordOperatorAction(instance, definition.typeName, record, { now: new Date(), newId: randomUUID });
      const result = await this.committer.commit({ inboxMessageId: null, expectedVersion: instance.version, transition });
      if (result === 'committed') return true;
    }
    this.logger.warn({ message: 'Operator action not recorded: the run kept changing', workflowId, action: record.action });
    return false;
  }
}
