import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A cancel or retry request sent on a workflow's control queue (`<namespace>.<workflow>.control`), for tools
 * that do not load the workflow's definition (the `strategos` CLI). Any process that registered the workflow applies it.
 */
export class WorkflowControlCommandDto {
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsIn(['cancel', 'retry']) action!: 'cancel' | 'retry';
  @IsString() @IsNotEmpty() @MaxLength(200) workflowId!: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}
