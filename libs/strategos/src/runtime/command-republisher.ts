import { Logger } from '@nestjs/common';
import { reissuedCommands } from '../engine/reissued-commands';
import type { StepCommand } from '../engine/step-command';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { TransitionCommitter } from '../persistence/transition-committer';
import { validTraceparent } from '../tracing/trace-context';
import type { Disposition } from '../transport/transport.interface';
import { GIVE_BACK, type RetryLogFields, type StoreRetry } from './store-retry';

const ACK: Disposition = { kind: 'ack' };
const REQUEUE: Disposition = { kind: 'requeue' };

/**
 * Publishes again the commands a step command's committed transition issued, before that command is acknowledged.
 * Commands sent at once have no outbox row: the step command is their durable record until it is acknowledged,
 * which happens only after the commit and the broker's confirms of what it sends. So a command delivered again
 * after its transition committed (the worker died before the publish, the publish failed, the commit's reply was
 * lost) publishes what the instance still waits for from it, then is acknowledged. While the broker is unavailable
 * the command is held and the publish retried (never dead-lettered), as `StoreRetry` does for store outages.
 */
export class CommandRepublisher {
  private readonly logger = new Logger(CommandRepublisher.name);

  constructor(
    private readonly committer: Pick<TransitionCommitter, 'publishCommands'>,
    private readonly retry: StoreRetry,
  ) {}

  /** Republishes what `instance` still waits for from `command`'s transition; ack when done (or nothing to do), else requeue. */
  async republish(instance: WorkflowInstance, command: StepCommand, fields: RetryLogFields): Promise<Disposition> {
    const commands = reissuedCommands(instance, command.messageId, validTraceparent(command.traceparent, 'step command'));
    if (commands.length === 0) return ACK;
    const published = await this.retry.run(() => this.committer.publishCommands(commands), fields);
    if (published === GIVE_BACK) return REQUEUE;
    this.logger.log({ message: 'Commands of an applied step command published again', ...fields, count: commands.length });
    return ACK;
  }
}
