import { Logger } from '@nestjs/common';
import type { WorkflowStarter } from '../client/workflow-starter';
import { decodeMessage, MessageRejection } from '../messages/decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../messages/message-limits';
import { StartWorkflowCommandDto } from '../messages/start-workflow-command.dto';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';

/** Starts workflows from `Start<Workflow>Command` messages; acknowledges once the start is committed. */
export class StartCommandHandler {
  private readonly logger = new Logger(StartCommandHandler.name);

  constructor(
    private readonly starter: WorkflowStarter,
    private readonly workflowName: string,
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
      await this.starter.start(this.workflowName, command.state as unknown as WorkflowState, { traceparent: command.traceparent });
      return { kind: 'ack' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'INVALID_INITIAL_STATE') return { kind: 'dead-letter', code, reason: (error as Error).message };
      this.logger.warn({
        message: 'Start command not processed; it will be redelivered',
        workflow: this.workflowName,
        error: (error as Error).message,
      });
      return { kind: 'requeue' };
    }
  }
}
