import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of the `cancel` action. */
export class CancelActionDto {
  /** Why the run is cancelled (recorded on the run). */
  @IsOptional() @IsString() @MaxLength(1000) readonly reason?: string;
}

/** Body of actions that take no input (`retry`, `replay`, `discard`): an empty object. */
export class NoInputActionDto {}

/** Body of the `signal` action: the signal's name (the wait's) and its payload. */
export class SignalActionDto {
  /** The signal's name, e.g. `payment-confirmed`. @default the one signal wait the run is parked at */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) readonly name?: string;
  /** The payload, validated by the wait's payload class. @default {} */
  @IsOptional() @IsObject() readonly data?: Record<string, unknown>;
  /** As for `WorkflowControl.signal`: a repeated id is applied once. @default a new random id */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) readonly signalId?: string;
}

/** Body of the `approve` and `reject` actions: the approval's name and an optional comment. */
export class ApprovalActionDto {
  /** The approval's name, e.g. `manager-approval`. @default the one approval the run is parked at */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) readonly name?: string;
  /** Why (recorded in the decision's payload and on the run). */
  @IsOptional() @IsString() @MaxLength(1000) readonly comment?: string;
}
