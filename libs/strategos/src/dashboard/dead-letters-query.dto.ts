import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query string of `GET api/dead-letters`. */
export class DeadLettersQueryDto {
  @IsOptional() @IsString() @MaxLength(200) readonly code?: string;
  @IsOptional() @IsString() @MaxLength(500) readonly queue?: string;
  /** The `nextCursor` of the previous page. */
  @IsOptional() @IsString() @MaxLength(1000) readonly cursor?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(500)
  readonly limit?: number;
}
