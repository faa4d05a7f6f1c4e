import { runPath, type RunPathEvent } from './run-path';

const phase = (to: string, path?: string): RunPathEvent => ({ kind: 'PhaseChanged', data: { to, ...(path ? { path } : {}) } });
const completed = (step: string, path?: string): RunPathEvent => ({ kind: 'StepCompleted', data: { step, ...(path ? { path } : {}) } });
const failed = (step: string, path: string, willRetry = false): RunPathEvent => ({ kind: 'StepFailed', data: { step, path, willRetry } });

describe('runPath', () => {
  it('shows a sequential run as its steps and its end', () => {
    expect(
      runPath([{ kind: 'Started', data: {} }, phase('A'), completed('A'), phase('B'), completed('B'), { kind: 'Completed', data: {} }]),
    ).toBe('A -> B -> Completed');
  });

  it('shows the paths of a fork side by side, in path order, whatever order their events came in', () => {
    const events = [
      phase('ValidateOrder'),
      phase('ReserveInventory', 'fork#1.2'),
      phase('ProcessPayment', 'fork#1.1'),
      completed('ReserveInventory', 'fork#1.2'),
      completed('ProcessPayment', 'fork#1.1'),
      phase('FulfillOrder'),
      { kind: 'Completed', data: {} },
    ];
    expect(runPath(events)).toBe('ValidateOrder -> fork[ProcessPayment | ReserveInventory] -> FulfillOrder -> Completed');
  });

  it('marks a failed path step, and a path step that never ran once the run ended', () => {
    const events = [
      phase('ValidateOrder'),
      phase('ProcessPayment', 'fork#1.1'),
      phase('ReserveInventory', 'fork#1.2'),
      failed('ProcessPayment', 'fork#1.1', true),
      failed('ProcessPayment', 'fork#1.1'),
      phase('SendFailureNotification'),
      { kind: 'Failed', data: { status: 'failed', error: { code: 'PAYMENT_FAILED' } } },
    ];
    expect(runPath(events)).toBe(
      'ValidateOrder -> fork[ProcessPayment (failed) | ReserveInventory (not run)] -> SendFailureNotification -> Failed (PAYMENT_FAILED)',
    );
  });

  it('shows compensation after a fork whose other path completed', () => {
    const events = [
      phase('ProcessPayment', 'fork#1.1'),
      phase('ReserveInventory', 'fork#1.2'),
      completed('ProcessPayment', 'fork#1.1'),
      failed('ReserveInventory', 'fork#1.2'),
      { kind: 'Compensating', data: {} },
      phase('RefundPayment'),
      { kind: 'Failed', data: { status: 'compensated', error: { code: 'OUT_OF_STOCK' } } },
    ];
    expect(runPath(events)).toBe(
      'fork[ProcessPayment | ReserveInventory (failed)] -> Compensating -> RefundPayment -> Compensated (OUT_OF_STOCK)',
    );
  });
});
