import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Query string of `GET api/stats`. */
export class StatsQueryDto {
  /** One workflow; all registered ones when absent. */
  @IsOptional() @IsString() @MaxLength(200) readonly workflow?: string;

  /** The window of the counts, in minutes. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(10_080)
  readonly windowMinutes?: number;
}
