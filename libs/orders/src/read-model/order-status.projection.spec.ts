import type { JsonObject, WorkflowEvent, WorkflowEventKind } from '@strategos/nestjs';
import { projectOrderStatus } from './order-status.projection';

function event(kind: WorkflowEventKind, data: JsonObject = {}, workflowName = 'process-order'): WorkflowEvent {
  return {
    eventId: 'e-1',
    type: `ProcessOrder${kind}`,
    kind,
    workflowId: 'wf-1',
    workflowName,
    sequence: 7,
    timestamp: '2026-01-01T00:00:07.000Z',
    data,
  };
}

describe('projectOrderStatus', () => {
  it('takes the order id and NotStarted from Started', () => {
    expect(projectOrderStatus(event('Started', { state: { workflowId: 'wf-1', order: { orderId: 'ord-1' }, status: 'Pending' } }))).toEqual(
      {
        workflowId: 'wf-1',
        orderId: 'ord-1',
        phase: 'NotStarted',
        status: 'running',
        lastSequence: 7,
        updatedAt: new Date('2026-01-01T00:00:07.000Z'),
      },
    );
  });

  it.each([
    ['PhaseChanged', { from: 'ValidateOrder', to: 'ProcessDigitalPayment' }, 'ProcessDigitalPayment', 'running'],
    // Either fork path's first step: the run is in the fork of payment and reservation.
    [
      'PhaseChanged',
      { from: 'ValidateOrder', to: 'ProcessPayment', path: 'fork#1.1' },
      'Fork(ProcessPayment, ReserveInventory)',
      'running',
    ],
    [
      'PhaseChanged',
      { from: 'ValidateOrder', to: 'ReserveInventory', path: 'fork#1.2' },
      'Fork(ProcessPayment, ReserveInventory)',
      'running',
    ],
    ['PhaseChanged', { from: 'Fork(ReserveInventory)', to: 'FulfillOrder' }, 'FulfillOrder', 'running'],
    ['Retried', { step: 'ProcessPayment', previousError: { code: 'STEP_EXHAUSTED', message: 'down' } }, 'ProcessPayment', 'running'],
    ['Compensating', { from: 'ReserveInventory', reason: 'OUT_OF_STOCK', steps: ['RefundPayment'] }, 'Compensating', 'running'],
    ['Compensated', { steps: ['RefundPayment'] }, 'Compensated', 'running'],
    ['Completed', { state: { order: { orderId: 'ord-1' } } }, 'Completed', 'completed'],
    ['Failed', { status: 'failed', error: { code: 'PAYMENT_FAILED', message: 'declined', step: 'ProcessPayment' } }, 'Failed', 'failed'],
    [
      'Failed',
      { status: 'compensated', error: { code: 'OUT_OF_STOCK', message: 'none', step: 'ReserveInventory' } },
      'Compensated',
      'compensated',
    ],
    ['Cancelled', { reason: 'customer asked' }, 'Cancelled', 'cancelled'],
  ] as const)('maps %s %j to phase %s, status %s', (kind, data, phase, status) => {
    expect(projectOrderStatus(event(kind, data as JsonObject))).toMatchObject({ phase, status, lastSequence: 7 });
  });

  it('ignores the kinds that move neither phase nor status, and other workflows', () => {
    expect(projectOrderStatus(event('StepCompleted', { step: 'ValidateOrder', attempt: 1, patch: {} }))).toBeNull();
    expect(
      projectOrderStatus(
        event('StepFailed', { step: 'ProcessPayment', attempt: 1, code: 'STEP_ERROR', message: 'x', willRetry: true, retryInMs: 100 }),
      ),
    ).toBeNull();
    expect(projectOrderStatus(event('CancelRequested', { reason: 'r', step: 'ProcessPayment' }))).toBeNull();
    expect(projectOrderStatus(event('PhaseChanged', { from: 'A', to: 'B' }, 'ship-order'))).toBeNull();
  });
});
