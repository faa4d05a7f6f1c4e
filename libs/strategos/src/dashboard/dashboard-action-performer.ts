import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { WorkflowControl } from '../client/workflow-control';
import type { DeadLetters } from '../dead-letters/dead-letters';
import type { DashboardAction, DashboardActionServices } from './dashboard-action.interface';
import { DASHBOARD_ACTIONS } from './dashboard-actions';
import type { OperatorActionRecorder } from './operator-action-recorder';

/** The result of an action. */
export interface ActionResult {
  readonly action: string;
  readonly target: string;
  readonly workflowId: string | null;
  readonly recorded: boolean;
  /** For signals and approvals: `applied`, `stored` (kept until the run reaches its wait) or `duplicate`. */
  readonly signalStatus?: 'applied' | 'stored' | 'duplicate';
}

/** Refusals of the engine that are the request's fault (400) rather than the run's status (409). */
const BAD_REQUEST_CODES: ReadonlySet<string> = new Set(['UNKNOWN_SIGNAL', 'INVALID_SIGNAL_PAYLOAD']);
const CONFLICT_CODES: ReadonlySet<string> = new Set([
  'WORKFLOW_NOT_RUNNING',
  'WORKFLOW_NOT_RETRYABLE',
  'WORKFLOW_ALREADY_CANCELLING',
  'SIGNAL_NOT_ACCEPTED',
]);

/**
 * Performs the dashboard's actions: finds the action, validates its body, runs it and records it on the run
 * (applied, or refused with the engine's code).
 */
export class DashboardActionPerformer {
  private readonly actions: ReadonlyMap<string, DashboardAction>;

  constructor(
    private readonly control: WorkflowControl,
    private readonly deadLetters: DeadLetters,
    private readonly recorder: OperatorActionRecorder,
    private readonly waitsOf: DashboardActionServices['waitsOf'],
  ) {
    this.actions = new Map(DASHBOARD_ACTIONS.map((action) => [`${action.target}:${action.name}`, action]));
  }

  /**
   * @throws NotFoundException (404) for an unknown action, run or dead letter; BadRequestException (400,
   * `INVALID_ACTION_BODY`, or the engine's `UNKNOWN_SIGNAL` / `INVALID_SIGNAL_PAYLOAD`); ConflictException (409)
   * with the engine's code when the run's status refuses it.
   */
  async perform(target: 'run' | 'dead-letter', name: string, targetId: string, body: unknown, actor: string | null): Promise<ActionResult> {
    const action = this.actions.get(`${target}:${name}`);
    if (!action) throw new NotFoundException({ code: 'UNKNOWN_ACTION', message: `No ${target} action ${name}` });
    const input = await validBody(action, body);
    const reason = action.reasonOf?.(input);
    try {
      const services = { control: this.control, deadLetters: this.deadLetters, actor, waitsOf: this.waitsOf };
      const outcome = await action.execute(services, targetId, input);
      const recorded = outcome.workflowId
        ? await this.recorder.record(outcome.workflowId, {
            action: name,
            actor,
            outcome: 'applied',
            ...(target === 'dead-letter' ? { deadLetterId: targetId } : {}),
            ...(outcome.signal !== undefined ? { signal: outcome.signal } : {}),
            ...(reason !== undefined ? { reason } : {}),
          })
        : false;
      return {
        action: name,
        target: targetId,
        workflowId: outcome.workflowId,
        recorded,
        ...(outcome.signalStatus ? { signalStatus: outcome.signalStatus } : {}),
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = (error as Error).message;
      if (code === 'WORKFLOW_NOT_FOUND' || code === 'DEAD_LETTER_NOT_FOUND') throw new NotFoundException({ code, message });
      if (typeof code !== 'string' || !(CONFLICT_CODES.has(code) || BAD_REQUEST_CODES.has(code))) throw error;
      const signal = (input as { name?: unknown }).name;
      await this.recorder.record(targetId, {
        action: name,
        actor,
        outcome: 'refused',
        code,
        ...(typeof signal === 'string' ? { signal } : {}),
      });
      const errors = (error as { errors?: readonly string[] }).errors;
      if (BAD_REQUEST_CODES.has(code)) throw new BadRequestException({ code, message, ...(errors ? { errors } : {}) });
      throw new ConflictException({ code, message });
    }
  }
}

async function validBody(action: DashboardAction, body: unknown): Promise<object> {
  const plain = body === undefined || body === null || body === '' ? {} : body;
  if (typeof plain !== 'object' || Array.isArray(plain))
    throw new BadRequestException({ code: 'INVALID_ACTION_BODY', message: `The body of ${action.name} must be a JSON object` });
  const input = plainToInstance(action.body, plain);
  // forbidUnknownValues off: a body class may declare no field at all (an empty object is then the only valid body).
  const errors = await validate(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const details = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new BadRequestException({
      code: 'INVALID_ACTION_BODY',
      message: `Invalid ${action.name} body: ${details.join('; ')}`,
      fields: errors.map((error) => error.property),
    });
  }
  return input;
}
