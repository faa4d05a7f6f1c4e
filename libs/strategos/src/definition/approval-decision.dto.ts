import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** The payload of an approval signal (`control.approve` / `control.reject`, or a `Signal<Workflow>Command`). */
export class ApprovalDecision {
  @IsBoolean() approved!: boolean;
  /** Who decided. */
  @IsOptional() @IsString() @MaxLength(200) by?: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}
