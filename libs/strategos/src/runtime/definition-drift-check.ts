import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import { stepAt, type TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';

const PAGE_SIZE = 500;

/**
 * At start-up, fails the running instances whose current step is no longer in their workflow's definition
 * (a step removed or renamed while they were in flight) with `STEP_NOT_IN_DEFINITION`, instead of leaving
 * them waiting on a queue nobody consumes. They stay retryable once a definition with the step is deployed.
 */
export class DefinitionDriftCheck {
  private readonly logger = new Logger(DefinitionDriftCheck.name);

  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly engine: TransitionEngine,
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
  ) {}

  /** Returns how many instances it failed. */
  async run(): Promise<number> {
    let failed = 0;
    for (const definition of this.registry.all()) {
      let after: Awaited<ReturnType<WorkflowStore['list']>>['next'] = null;
      do {
        const page = await this.store.list({
          workflowName: definition.name,
          statuses: ['running'],
          limit: PAGE_SIZE,
          ...(after ? { after } : {}),
        });
        for (const instance of page.instances.filter((candidate) => isDrifted(definition, candidate))) {
          const transition = this.engine.applyOutcome(
            definition,
            instance,
            { kind: 'skipped' },
            { now: new Date(), newId: randomUUID, random: Math.random, causationId: randomUUID() },
          );
          if ((await this.committer.commit({ inboxMessageId: null, expectedVersion: instance.version, transition })) === 'committed')
            failed += 1;
        }
        after = page.next;
      } while (after);
    }
    if (failed > 0) this.logger.warn({ message: 'Failed instances whose current step is no longer defined', count: failed });
    return failed;
  }
}

function isDrifted(definition: WorkflowDefinition, instance: WorkflowInstance): boolean {
  const cursor = instance.cursor;
  if (cursor === null) return false;
  // A run parked at a wait: drifted only when the deployed definition has no such wait.
  if (cursor.wait) return definition.graph.nodes.get(cursor.node ?? '')?.kind !== 'wait';
  return stepAt(definition, cursor) === undefined;
}
