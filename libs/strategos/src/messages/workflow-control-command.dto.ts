import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** The actions a control message may ask for. `fire-timer` is sent by Strategos itself (a durable timer fell due). */
export const CONTROL_ACTIONS = ['cancel', 'retry', 'signal', 'fire-timer'] as const;

/** What a control message asks for. */
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/**
 * A request on a workflow's control queue (`<namespace>.<workflow>.control`), for services and tools that do not
 * load the workflow's definition (the `strategos` CLI, a generated `Signal<Workflow>Command`): cancel, retry, a
 * signal (`name`, `payload`, optional `signalId`), or a durable timer's firing. Any process that registered the
 * workflow applies it.
 */
export class WorkflowControlCommandDto {
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsIn(CONTROL_ACTIONS) action!: ControlAction;
  @IsString() @IsNotEmpty() @MaxLength(200) workflowId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  /** The signal's name (`signal`). */
  @ValidateIf((command: WorkflowControlCommandDto) => command.action === 'signal')
  @IsString()
  @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
  @MaxLength(100)
  name?: string;
  /** The signal's payload (`signal`): a JSON object, validated against the wait's payload class. */
  @ValidateIf((command: WorkflowControlCommandDto) => command.action === 'signal' && command.payload !== undefined)
  @IsObject()
  payload?: Record<string, unknown>;
  /** The signal's id (`signal`): a repeat of an id already received is applied once. Defaults to `messageId`. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) signalId?: string;
  /** The timer's id (`fire-timer`). */
  @ValidateIf((command: WorkflowControlCommandDto) => command.action === 'fire-timer')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  timerId?: string;
}
