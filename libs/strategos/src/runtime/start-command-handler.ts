import { Logger } from '@nestjs/common';
import type { WorkflowStarter } from '../client/workflow-starter';
import { decodeMessage, MessageRejection } from '../messages/decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../messages/message-limits';
import { StartWorkflowCommandDto } from '../messages/start-workflow-command.dto';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import { GIVE_BACK, type StoreRetry } from './store-retry';

/**
 * Starts workflows from `Start<Workflow>Command` messages; acknowledges once the start is committed. A start
 * the store cannot take (`INVALID_INITIAL_STATE`) is dead-lettered at once; during a store outage the command
 * is held and retried in place ({@link StoreRetry}).
 */
export class StartCommandHandler {
  private readonly logger = new Logger(StartCommandHandler.name);

  constructor(
    private readonly starter: WorkflowStarter,
    private readonly workflowName: string,
    private readonly retry: StoreRetry,
    private readonly limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    const command = await decodeMessage(message.body, () => StartWorkflowCommandDto, 'INVALID_START_COMMAND', this.limits);
    if (command instanceof MessageRejection) return { kind: 'dead-letter', code: command.code, reason: command.reason };
    if (command.workflowName !== this.workflowName)
      return {
        kind: 'dead-letter',
        code: 'WRONG_QUEUE',
        reason: `start command for ${command.workflowName} arrived on the start queue of ${this.workflowName}`,
      };
    try {
      const state = command.state as unknown as WorkflowState;
      const started = await this.retry.run(() => this.starter.start(this.workflowName, state, { traceparent: command.traceparent }), {
        workflow: this.workflowName,
        messageId: message.messageId,
      });
      return started === GIVE_BACK ? { kind: 'requeue' } : { kind: 'ack' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'INVALID_INITIAL_STATE' || code === 'UNKNOWN_WORKFLOW')
        return { kind: 'dead-letter', code, reason: (error as Error).message };
      this.logger.error({
        message: 'Start command failed unexpectedly; it will be redelivered after a pause',
        workflow: this.workflowName,
        error: (error as Error).message,
      });
      await this.retry.pauseBeforeRedelivery();
      return { kind: 'requeue' };
    }
  }
}
