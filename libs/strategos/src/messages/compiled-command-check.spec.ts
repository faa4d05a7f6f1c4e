import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  Equals,
  IsISO8601,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  validate,
} from 'class-validator';
import { compiledCheck } from './compiled-command-check';
import { MessageRejection } from './decode-message';
import { decodeStepCommand } from './message-codec';
import { StepCommandDto } from './step-command.dto';

/** Shaped like a generated `Execute<Step>Command`: the envelope's rules plus the step's literals. */
class ExecuteChargeCardCommand {
  @IsString() @IsNotEmpty() @MaxLength(200) readonly messageId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) readonly workflowId!: string;
  @Equals('pay') readonly workflowName!: 'pay';
  @IsInt() @Min(1) @Max(1_000_000) readonly attempt!: number;
  @IsString() @IsNotEmpty() readonly idempotencyKey!: string;
  @IsString() @IsNotEmpty() readonly correlationId!: string;
  @IsString() @IsNotEmpty() readonly causationId!: string;
  @IsISO8601() readonly createdAt!: string;
  @IsOptional() @IsString() @Matches(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/) readonly traceparent?: string;
  @Equals('ExecuteChargeCardCommand') readonly type!: 'ExecuteChargeCardCommand';
  @Equals('ChargeCard') readonly step!: 'ChargeCard';
  @Equals('forward') readonly role!: 'forward';
}

class Nested {
  @IsString() readonly name!: string;
}

class WithNested {
  @ValidateNested() @Type(() => Nested) readonly inner!: Nested;
}

const valid = {
  messageId: 'm-1',
  type: 'ExecuteChargeCardCommand',
  workflowId: 'w-1',
  workflowName: 'pay',
  step: 'ChargeCard',
  role: 'forward',
  attempt: 1,
  idempotencyKey: 'w-1:ChargeCard',
  correlationId: 'w-1',
  causationId: 'm-0',
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** The valid command with one field changed (undefined removes it). */
const variants: Record<string, unknown>[] = [
  valid,
  { ...valid, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  { ...valid, traceparent: null },
  { ...valid, traceparent: 'not-a-traceparent' },
  { ...valid, traceparent: 7 },
  { ...valid, extra: 'kept' },
  ...Object.keys(valid).flatMap((key) =>
    [undefined, null, '', 0, 1.5, -1, 2_000_000, true, [], {}, 'x'.repeat(201), 'forward', 'pay', 'not a date', 'Execute1Command'].map(
      (replacement) => ({ ...valid, [key]: replacement }),
    ),
  ),
  { ...valid, createdAt: '2026-01-01' },
  { ...valid, createdAt: '2026-13-01T00:00:00Z' },
  { ...valid, messageId: '😀'.repeat(150) },
  { ...valid, role: 'compensation', type: 'ExecuteRefundCommand', step: 'Refund', workflowName: 'Pay-1' },
];

async function classValidatorAccepts(type: new () => object, value: object): Promise<boolean> {
  return (await validate(plainToInstance(type, value), { forbidUnknownValues: true })).length === 0;
}

describe('compiledCheck', () => {
  it.each([StepCommandDto, ExecuteChargeCardCommand])('accepts exactly what class-validator accepts (%p)', async (type) => {
    const check = compiledCheck(type);
    expect(check).not.toBeNull();
    let accepted = 0;
    for (const variant of variants) {
      const expected = await classValidatorAccepts(type, variant);
      expect({ variant, accepted: check?.(variant) }).toEqual({ variant, accepted: expected });
      if (expected) accepted += 1;
    }
    // Both outcomes occur, so the comparison means something.
    expect(accepted).toBeGreaterThan(2);
    expect(accepted).toBeLessThan(variants.length - 50);
  });

  it('is null for a class with rules it does not compile (nested validation)', () => {
    expect(compiledCheck(WithNested)).toBeNull();
  });
});

describe('decodeStepCommand with the compiled check', () => {
  const lookup = (workflowName: unknown, step: unknown) =>
    workflowName === 'pay' && step === 'ChargeCard' ? (ExecuteChargeCardCommand as new () => object) : undefined;

  it('returns a valid command as an instance of its class, unknown fields kept', async () => {
    const decoded = await decodeStepCommand(JSON.stringify({ ...valid, extra: 1 }), lookup);
    expect(decoded).toBeInstanceOf(ExecuteChargeCardCommand);
    expect(decoded).toEqual(expect.objectContaining({ ...valid, extra: 1 }));
  });

  it('words the rejection of an invalid command with class-validator, naming the class and the field', async () => {
    const decoded = await decodeStepCommand(JSON.stringify({ ...valid, attempt: 0 }), lookup);
    expect(decoded).toBeInstanceOf(MessageRejection);
    expect(decoded).toEqual(new MessageRejection('INVALID_COMMAND', 'ExecuteChargeCardCommand: attempt: attempt must not be less than 1'));
  });

  it('validates with the generic envelope when no class is registered', async () => {
    const generic = { ...valid, workflowName: 'other-flow' };
    expect(await decodeStepCommand(JSON.stringify(generic))).toBeInstanceOf(StepCommandDto);
    const rejected = await decodeStepCommand(JSON.stringify({ ...generic, role: 'sideways' }));
    expect(rejected).toEqual(expect.objectContaining({ code: 'INVALID_COMMAND' }));
    expect((rejected as MessageRejection).reason).toContain('role');
  });

  it('rejects a body that is not a JSON object as before', async () => {
    expect(await decodeStepCommand('nope')).toEqual(expect.objectContaining({ code: 'MALFORMED_JSON' }));
    expect(await decodeStepCommand('[1]')).toEqual(new MessageRejection('INVALID_COMMAND', 'body is not a JSON object'));
  });
});
