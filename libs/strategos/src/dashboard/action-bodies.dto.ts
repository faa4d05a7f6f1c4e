import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of the `cancel` action. */
export class CancelActionDto {
  /** Why the run is cancelled (recorded on the run). */
  @IsOptional() @IsString() @MaxLength(1000) readonly reason?: string;
}

/** Body of actions that take no input (`retry`, `replay`, `discard`): an empty object. */
export class NoInputActionDto {}
