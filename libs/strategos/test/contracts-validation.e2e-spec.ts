import 'reflect-metadata';
import { aDigitalOrder, anOrder, deliveryOf, initialOrderState, processOrder } from '@app/orders';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { eventRoutingKey, stepQueueName } from '@strategos/nestjs';
import type { StepOutcome } from '../src/engine/step-outcome';
import type { ScheduledCommand } from '../src/engine/step-command';
import type { Transition, TransitionContext } from '../src/engine/transition';
import { TransitionEngine } from '../src/engine/transition-engine';
import type { WorkflowEvent } from '../src/engine/workflow-event';
import { activePositions } from '../src/engine/workflow-instance';
import { StepCommandDto } from '../src/messages/step-command.dto';
import type { JsonObject } from '../src/state/workflow-state.interface';
import { processOrderContracts } from '../../orders/src/process-order.contracts';

let id = 0;
/** A transition's context; `causationId` is the command being answered (inside a fork it picks the path). */
const context = (causationId = 'cause-1'): TransitionContext => {
  return {
    now: new Date('2030-01-01T00:00:00.000Z'),
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
    random: () => 0.5,
    causationId,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };
};

/**
 * The commands and events of four real runs of the order workflow: one that completes (through the fork of payment
 * and reservation), one that fails at FulfillOrder and compensates both paths, and two digital ones (the other branch
 * case), the second failing at SendDownloadLink and refunding.
 */
function runs(): { commands: ScheduledCommand[]; events: WorkflowEvent[] } {
  const engine = new TransitionEngine();
  const transitions: Transition[] = [];
  for (const [failAt, order] of [
    [undefined, anOrder()],
    ['FulfillOrder', anOrder()],
    [undefined, aDigitalOrder()],
    ['SendDownloadLink', aDigitalOrder()],
  ] as const) {
    let transition = engine.start(
      processOrder,
      { ...initialOrderState(order), delivery: deliveryOf(order) } as unknown as JsonObject,
      context(),
    );
    transitions.push(transition);
    while (transition.instance.status === 'running') {
      // Inside the fork, the first running path's step answers first.
      const position = activePositions(transition.instance)[0];
      const outcome: StepOutcome =
        position?.step === failAt
          ? { kind: 'failed', error: { code: 'OUT_OF_STOCK', message: 'gone' } }
          : { kind: 'succeeded', patch: { status: 'Paid' } };
      transition = engine.applyOutcome(processOrder, transition.instance, outcome, context(position?.commandId));
      transitions.push(transition);
    }
  }
  return { commands: transitions.flatMap((t) => t.commands), events: transitions.flatMap((t) => t.events) };
}

/** A message as a receiver sees it: parsed JSON. */
const wire = <T>(message: T): Record<string, unknown> => JSON.parse(JSON.stringify(message)) as Record<string, unknown>;

async function failures(type: new () => object, body: Record<string, unknown>): Promise<string[]> {
  const errors = await validate(plainToInstance(type, body), { forbidUnknownValues: true });
  return errors.map((error) => error.property).sort();
}

describe('the generated command and event classes of the order workflow', () => {
  const { commands, events } = runs();

  it('accept every command the engine issues, each with the class of its step', async () => {
    expect(new Set(commands.map(({ command }) => command.step))).toEqual(new Set(Object.keys(processOrderContracts.commands)));
    for (const { command } of commands) {
      const type = processOrderContracts.commands[command.step as keyof typeof processOrderContracts.commands];
      expect(await failures(type, wire(command))).toEqual([]);
      expect(type.queue('ns')).toBe(stepQueueName('ns', 'process-order', command.step));
      expect(type.type).toBe(command.type);
    }
  });

  it('reject a command of another step, role, type or workflow with the literal checks', async () => {
    const payment = wire(commands.find(({ command }) => command.step === 'ProcessPayment')!.command);
    const { ProcessPayment } = processOrderContracts.commands;
    expect(await failures(ProcessPayment, { ...payment, step: 'RefundPayment' })).toEqual(['step']);
    expect(await failures(ProcessPayment, { ...payment, role: 'compensation' })).toEqual(['role']);
    expect(await failures(ProcessPayment, { ...payment, type: 'ExecuteRefundPaymentCommand' })).toEqual(['type']);
    expect(await failures(ProcessPayment, { ...payment, workflowName: 'ship-order' })).toEqual(['workflowName']);
  });

  it("validate the envelope by the runtime DTO's rules", async () => {
    const payment = wire(commands.find(({ command }) => command.step === 'ProcessPayment')!.command);
    const dtoProperties = (type: object) =>
      [
        ...new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(type as new () => object, '', true, false)
            .map((rule) => rule.propertyName),
        ),
      ].sort();
    expect(dtoProperties(processOrderContracts.commands.ProcessPayment)).toEqual(dtoProperties(StepCommandDto));
    const variants: Record<string, unknown>[] = [
      { messageId: '' },
      { messageId: 'x'.repeat(201) },
      { workflowId: 42 },
      { attempt: 0 },
      { attempt: 1.5 },
      { attempt: 1_000_001 },
      { idempotencyKey: '' },
      { correlationId: undefined },
      { causationId: '' },
      { createdAt: 'yesterday' },
      { traceparent: 'not-a-traceparent' },
      { traceparent: undefined },
    ];
    for (const variant of variants) {
      const body = { ...payment, ...variant };
      expect({ variant, failed: await failures(processOrderContracts.commands.ProcessPayment, body) }).toEqual({
        variant,
        failed: await failures(StepCommandDto, body),
      });
    }
  });

  it('accept every event the engine emits with the class of its kind, whose pattern is its routing key', async () => {
    expect(new Set(events.map((event) => event.kind))).toEqual(
      new Set(['Started', 'PhaseChanged', 'StepCompleted', 'StepFailed', 'Compensating', 'Compensated', 'Completed', 'Failed']),
    );
    for (const event of events) {
      const type = processOrderContracts.events[event.kind];
      expect(await failures(type, wire(event))).toEqual([]);
      expect(type.pattern).toBe(eventRoutingKey('process-order', event.kind));
      expect(type.type).toBe(event.type);
    }
  });

  it('reject an event of another kind or workflow', async () => {
    const completed = wire(events.find((event) => event.kind === 'Completed')!);
    const { Completed } = processOrderContracts.events;
    expect(await failures(Completed, { ...completed, kind: 'Failed' })).toEqual(['kind']);
    expect(await failures(Completed, { ...completed, type: 'ProcessOrderFailed' })).toEqual(['type']);
    expect(await failures(Completed, { ...completed, workflowName: 'ship-order', sequence: 0, data: 'x' })).toEqual([
      'data',
      'sequence',
      'workflowName',
    ]);
  });
});
