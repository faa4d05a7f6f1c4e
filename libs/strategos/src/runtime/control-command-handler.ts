import { Logger } from '@nestjs/common';
import type { WorkflowControl } from '../client/workflow-control';
import { decodeMessage, MessageRejection } from '../messages/decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../messages/message-limits';
import { WorkflowControlCommandDto } from '../messages/workflow-control-command.dto';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';

/** Applies cancel and retry requests from a workflow's control queue. A request the instance refuses is logged and acknowledged. */
export class ControlCommandHandler {
  private readonly logger = new Logger(ControlCommandHandler.name);

  constructor(
    private readonly control: WorkflowControl,
    private readonly limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    const command = await decodeMessage(message.body, () => WorkflowControlCommandDto, 'INVALID_CONTROL_COMMAND', this.limits);
    if (command instanceof MessageRejection) return { kind: 'dead-letter', code: command.code, reason: command.reason };
    try {
      if (command.action === 'cancel') await this.control.cancel(command.workflowId, command.reason);
      else await this.control.retry(command.workflowId);
      return { kind: 'ack' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string') {
        this.logger.warn({ message: 'Control request refused', action: command.action, workflowId: command.workflowId, code });
        return { kind: 'ack' };
      }
      return { kind: 'requeue' };
    }
  }
}
