import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { WorkflowControl } from '../client/workflow-control';
import { WorkflowControlCommandDto } from '../messages/workflow-control-command.dto';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';

/** Applies cancel and retry requests from a workflow's control queue. A request the instance refuses is logged and acknowledged. */
export class ControlCommandHandler {
  private readonly logger = new Logger(ControlCommandHandler.name);

  constructor(private readonly control: WorkflowControl) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.body);
    } catch (error) {
      return { kind: 'dead-letter', code: 'MALFORMED_JSON', reason: `body is not JSON: ${(error as Error).message}` };
    }
    const command = plainToInstance(WorkflowControlCommandDto, parsed);
    const errors = await validate(command);
    if (errors.length > 0) return { kind: 'dead-letter', code: 'INVALID_CONTROL_COMMAND', reason: errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ') };
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
