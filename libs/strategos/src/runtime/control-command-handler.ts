import { Logger } from '@nestjs/common';
import type { WorkflowControl } from '../client/workflow-control';
import { decodeMessage, MessageRejection } from '../messages/decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../messages/message-limits';
import { WorkflowControlCommandDto } from '../messages/workflow-control-command.dto';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import { GIVE_BACK, type StoreRetry } from './store-retry';

/** The codes with which the library refuses a cancel or retry on purpose: such a request is logged and acknowledged. */
const REFUSALS: ReadonlySet<string> = new Set([
  'WORKFLOW_NOT_FOUND',
  'WORKFLOW_NOT_RUNNING',
  'WORKFLOW_NOT_RETRYABLE',
  'WORKFLOW_ALREADY_CANCELLING',
]);

/** The codes with which a signal is refused: such a message goes to the dead-letter queue with the code. */
const SIGNAL_REFUSALS: ReadonlySet<string> = new Set([
  'WORKFLOW_NOT_FOUND',
  'SIGNAL_NOT_ACCEPTED',
  'UNKNOWN_SIGNAL',
  'INVALID_SIGNAL_PAYLOAD',
]);

/**
 * Applies requests from a workflow's control queue: cancel, retry, signals and durable timers falling due. A
 * refused signal goes to the dead-letter queue with its code (`UNKNOWN_SIGNAL`, `INVALID_SIGNAL_PAYLOAD`,
 * `SIGNAL_NOT_ACCEPTED`, `WORKFLOW_NOT_FOUND`). For cancel and retry, only the library's own refusals (unknown
 * workflow, not running, not retryable, already cancelling) are acknowledged as refused; store failures are
 * retried in place ({@link StoreRetry}); a request the store cannot even look up (a NUL in its id) is dead-lettered.
 */
export class ControlCommandHandler {
  private readonly logger = new Logger(ControlCommandHandler.name);

  constructor(
    private readonly control: WorkflowControl,
    private readonly retry: StoreRetry,
    private readonly limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    const command = await decodeMessage(message.body, () => WorkflowControlCommandDto, 'INVALID_CONTROL_COMMAND', this.limits);
    if (command instanceof MessageRejection) return { kind: 'dead-letter', code: command.code, reason: command.reason };
    const fields = { action: command.action, workflowId: command.workflowId };
    try {
      const done = await this.retry.run(async () => {
        try {
          if (command.action === 'cancel') await this.control.cancel(command.workflowId, command.reason);
          else if (command.action === 'retry') await this.control.retry(command.workflowId);
          else if (command.action === 'fire-timer') await this.control.fireTimer(command.workflowId, command.timerId!);
          else
            await this.control.signal(command.workflowId, command.name!, command.payload ?? {}, {
              signalId: command.signalId ?? command.messageId,
            });
          return null;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          const refusals = command.action === 'signal' ? SIGNAL_REFUSALS : REFUSALS;
          if (typeof code === 'string' && refusals.has(code)) return { code, reason: (error as Error).message };
          throw error;
        }
      }, fields);
      if (done === GIVE_BACK) return { kind: 'requeue' };
      // A refused signal goes to the dead-letter queue with its code, where its sender (and the CLI) finds it.
      if (done !== null && command.action === 'signal') return { kind: 'dead-letter', code: done.code, reason: done.reason };
      if (done !== null) this.logger.warn({ message: 'Control request refused', ...fields, code: done.code });
      return { kind: 'ack' };
    } catch (error) {
      // Only a failure of the request's own data gets here: the store cannot even look its workflowId up.
      return { kind: 'dead-letter', code: 'INVALID_CONTROL_COMMAND', reason: `the store refused the request: ${(error as Error).message}` };
    }
  }
}
