import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { WORKFLOW_NAME_PATTERN } from '../definition/names';
import type { JsonObject } from '../state/workflow-state.interface';

/**
 * `Start<Workflow>Command`: starts a workflow from any service, without importing its steps, by a message on
 * the workflow's start queue (`<namespace>.<workflow>.start-command`). Idempotent on `state.workflowId`.
 */
export class StartWorkflowCommandDto {
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsString() @Matches(/^Start[A-Za-z0-9]+Command$/) type!: string;
  @IsString() @Matches(WORKFLOW_NAME_PATTERN) workflowName!: string;
  /** The initial state; must carry a string `workflowId`. */
  @IsObject() state!: JsonObject;
  /** W3C trace context; an invalid or oversized value is dropped (the run gets a fresh trace), never a rejection. */
  @IsOptional() traceparent?: string;
}
