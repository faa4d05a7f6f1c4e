import { IsIn, IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { STEP_NAME_PATTERN, WORKFLOW_NAME_PATTERN } from '../definition/names';
import type { StepRole } from '../definition/workflow-definition';
import type { StepCommand } from '../engine/step-command';

/** The `Execute<Step>Command` envelope as validated on receipt, before anything else happens to it. */
export class StepCommandDto implements StepCommand {
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsString() @Matches(/^Execute[A-Za-z][A-Za-z0-9_]*Command$/) type!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) workflowId!: string;
  @IsString() @Matches(WORKFLOW_NAME_PATTERN) workflowName!: string;
  @IsString() @Matches(STEP_NAME_PATTERN) step!: string;
  @IsIn(['forward', 'compensation', 'onFailure']) role!: StepRole;
  @IsInt() @Min(1) @Max(1_000_000) attempt!: number;
  @IsString() @IsNotEmpty() idempotencyKey!: string;
  @IsString() @IsNotEmpty() correlationId!: string;
  @IsString() @IsNotEmpty() causationId!: string;
  @IsISO8601() createdAt!: string;
  /**
   * W3C trace context; never a reason to reject a command (a run stored with a bad one must not get stuck): the
   * runner drops an invalid one (`validTraceparent`).
   */
  @IsOptional() traceparent?: string;
}
