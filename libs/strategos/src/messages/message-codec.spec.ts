import type { StepCommand } from '../engine/step-command';
import type { Transition } from '../engine/transition';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { toOutboxRows } from './message-codec';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const LEASE_MS = 10_000;

function command(step: string): StepCommand {
  return {
    messageId: `m-${step}`,
    type: `Execute${step}Command`,
    workflowId: 'w-1',
    workflowName: 'codec',
    step,
    role: 'forward',
    attempt: 2,
    idempotencyKey: `w-1:${step}`,
    correlationId: 'w-1',
    causationId: 'c-1',
    createdAt: NOW.toISOString(),
  };
}

function transitionWithDelays(delays: readonly number[]): Transition {
  return {
    instance: {} as WorkflowInstance,
    events: [],
    commands: delays.map((delayMs, index) => ({
      command: command(`Step${index}`),
      availableAt: new Date(NOW.getTime() + delayMs).toISOString(),
    })),
  };
}

function rows(delays: readonly number[]) {
  let id = 0;
  return toOutboxRows('ns', 'ns.events', transitionWithDelays(delays), NOW, LEASE_MS, () => `row-${++id}`);
}

describe('toOutboxRows', () => {
  it.each([1, 5_000, 9_999, 10_000, 10_001, 60_000])('keeps a retry delayed by %i ms delayed, whatever the lease', (delayMs) => {
    const { publishNow, delayed } = rows([delayMs]);

    expect(publishNow).toEqual([]);
    expect(delayed).toEqual([
      expect.objectContaining({ availableAt: new Date(NOW.getTime() + delayMs).toISOString(), leaseUntil: null, messageId: 'm-Step0' }),
    ]);
  });

  it('publishes a command due now at once, leased to the writer for the lease', () => {
    const { publishNow, delayed } = rows([0]);

    expect(delayed).toEqual([]);
    expect(publishNow).toEqual([
      expect.objectContaining({
        availableAt: NOW.toISOString(),
        leaseUntil: new Date(NOW.getTime() + LEASE_MS).toISOString(),
        messageId: 'm-Step0',
      }),
    ]);
  });

  it('splits commands due now from delayed ones in one transition', () => {
    const { publishNow, delayed } = rows([0, LEASE_MS]);

    expect(publishNow.map((row) => row.messageId)).toEqual(['m-Step0']);
    expect(delayed.map((row) => row.messageId)).toEqual(['m-Step1']);
  });
});
