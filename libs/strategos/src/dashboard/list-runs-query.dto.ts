import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { WorkflowStatus } from '../engine/workflow-instance';

const STATUSES: readonly WorkflowStatus[] = ['running', 'completed', 'failed', 'compensated', 'cancelled'];

/** Query string of `GET api/runs`: every filter optional, `status` a comma-separated list. */
export class ListRunsQueryDto {
  @IsOptional() @IsString() @MaxLength(200) readonly workflow?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter((status) => status !== '') : value))
  @IsIn(STATUSES, { each: true, message: `status must be a comma-separated list of ${STATUSES.join(', ')}` })
  readonly status?: WorkflowStatus[];

  @IsOptional() @IsString() @MaxLength(200) readonly phase?: string;

  /** Started at or after (ISO-8601). */
  @IsOptional() @IsISO8601({ strict: true }) readonly from?: string;

  /** Started before (ISO-8601). */
  @IsOptional() @IsISO8601({ strict: true }) readonly to?: string;

  /** Runs whose id starts with this. */
  @IsOptional() @IsString() @MaxLength(200) readonly id?: string;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,2000}$/, { message: "cursor must be a page's nextCursor" }) readonly cursor?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  readonly limit?: number;
}
