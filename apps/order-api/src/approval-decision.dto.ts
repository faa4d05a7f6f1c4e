import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The body of `POST /orders/:id/approve` and `/reject`: who decided, and why. */
export class ApprovalDecisionDto {
  @IsString() @IsNotEmpty() @MaxLength(200) by!: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}
