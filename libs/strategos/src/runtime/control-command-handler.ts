import { Logger } from '@nestjs/common';
import type { WorkflowControl } from '../client/workflow-control';
import { decodeMessage, MessageRejection } from '../messages/decode-message';
import { WorkflowControlCommandDto } from '../messages/workflow-control-command.dto';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';

/**
 * Applies requests from a workflow's control queue: cancel and retry (a request the instance refuses is logged and
 * acknowledged), signals (a refused signal goes to the dead-letter queue with its code: `UNKNOWN_SIGNAL`,
 * `INVALID_SIGNAL_PAYLOAD`, `SIGNAL_NOT_ACCEPTED`, `WORKFLOW_NOT_FOUND`), and durable timers falling due.
 */
export class ControlCommandHandler {
  private readonly logger = new Logger(ControlCommandHandler.name);

  constructor(private readonly control: WorkflowControl) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    const command = await decodeMessage(message.body, () => WorkflowControlCommandDto, 'INVALID_CONTROL_COMMAND');
    if (command instanceof MessageRejection) return { kind: 'dead-letter', code: command.code, reason: command.reason };
    try {
      if (command.action === 'cancel') await this.control.cancel(command.workflowId, command.reason);
      else if (command.action === 'retry') await this.control.retry(command.workflowId);
      else if (command.action === 'fire-timer') await this.control.fireTimer(command.workflowId, command.timerId!);
      else
        await this.control.signal(command.workflowId, command.name!, command.payload ?? {}, {
          signalId: command.signalId ?? command.messageId,
        });
      return { kind: 'ack' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && command.action === 'signal') {
        return { kind: 'dead-letter', code, reason: (error as Error).message };
      }
      if (typeof code === 'string' && command.action !== 'fire-timer') {
        this.logger.warn({ message: 'Control request refused', action: command.action, workflowId: command.workflowId, code });
        return { kind: 'ack' };
      }
      this.logger.warn({
        message: 'Control request not processed; it will be redelivered',
        action: command.action,
        workflowId: command.workflowId,
        error: (error as Error).message,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { kind: 'requeue' };
    }
  }
}
