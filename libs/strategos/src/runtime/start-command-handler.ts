import { Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { WorkflowStarter } from '../client/workflow-starter';
import { StartWorkflowCommandDto } from '../messages/start-workflow-command.dto';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';

/** Starts workflows from `Start<Workflow>Command` messages; acknowledges once the start is committed. */
export class StartCommandHandler {
  private readonly logger = new Logger(StartCommandHandler.name);

  constructor(
    private readonly starter: WorkflowStarter,
    private readonly workflowName: string,
  ) {}

  async handle(message: IncomingMessage): Promise<Disposition> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.body);
    } catch (error) {
      return { kind: 'dead-letter', code: 'MALFORMED_JSON', reason: `body is not JSON: ${(error as Error).message}` };
    }
    const command = plainToInstance(StartWorkflowCommandDto, parsed);
    const errors = await validate(command);
    if (errors.length > 0) return { kind: 'dead-letter', code: 'INVALID_START_COMMAND', reason: errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ') };
    if (command.workflowName !== this.workflowName) return { kind: 'dead-letter', code: 'WRONG_QUEUE', reason: `start command for ${command.workflowName} arrived on the start queue of ${this.workflowName}` };
    try {
      await this.starter.start(this.workflowName, command.state as unknown as WorkflowState, { traceparent: command.traceparent });
      return { kind: 'ack' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'INVALID_INITIAL_STATE') return { kind: 'dead-letter', code, reason: (error as Error).message };
      this.logger.warn({ message: 'Start command not processed; it will be redelivered', workflow: this.workflowName, error: (error as Error).message });
      return { kind: 'requeue' };
    }
  }
}
