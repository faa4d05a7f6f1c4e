import { stepQueueName } from '../messages/topology';
import { buildContractsModel } from './build-contracts-model';
import { CodegenError } from './codegen.error';
import type { DefinitionSource } from './contracts-model';
import { PROCESS_ORDER_SHAPE, sampleWorkflow } from './testing/sample-workflows';

const source: DefinitionSource = {
  exportName: 'processOrder',
  localName: 'processOrder',
  moduleSpecifier: './process-order.workflow',
  fileName: 'process-order.workflow.ts',
};

describe('buildContractsModel', () => {
  const model = buildContractsModel(sampleWorkflow(PROCESS_ORDER_SHAPE), source);

  it('lists the phases in the order of a run, with compensations in the order they run and the onFailure step', () => {
    expect(model.phases.map((phase) => phase.name)).toEqual([
      'NotStarted',
      'ValidateOrder',
      'ProcessPayment',
      'ReserveInventory',
      'FulfillOrder',
      'SendConfirmation',
      'Completed',
      'Compensating',
      'ReleaseInventory',
      'RefundPayment',
      'Compensated',
      'SendFailureNotification',
      'Failed',
      'Cancelled',
    ]);
  });

  it('names each command and step event after the step, as the runtime names its messages', () => {
    const payment = model.steps.find((step) => step.name === 'ProcessPayment');
    expect(payment).toMatchObject({
      role: 'forward',
      commandClass: 'ExecuteProcessPaymentCommand',
      completedClass: 'ProcessPaymentCompleted',
      failedClass: 'ProcessPaymentFailed',
      compensation: 'RefundPayment',
    });
    expect(model.steps.find((step) => step.name === 'RefundPayment')).toMatchObject({
      role: 'compensation',
      compensates: 'ProcessPayment',
    });
    expect(model.steps.find((step) => step.name === 'SendFailureNotification')).toMatchObject({ role: 'onFailure' });
  });

  it('gives every event kind its class, the runtime type name and the routing key as pattern', () => {
    expect(model.events.map((event) => [event.kind, event.className, event.pattern])).toContainEqual([
      'Completed',
      'ProcessOrderCompleted',
      'process-order.Completed',
    ]);
    expect(model.events).toHaveLength(15);
  });

  it('derives queues the way the runtime does', () => {
    for (const step of model.steps)
      expect(`strategos.${model.workflow}.${step.name}`).toBe(stepQueueName('strategos', 'process-order', step.name));
  });

  it('refuses a step whose generated class would clash with another identifier', () => {
    const clash = sampleWorkflow({ name: 'process-order', steps: ['Ship', 'ProcessOrder'] });
    expect(() => buildContractsModel(clash, source)).toThrow(CodegenError);
    expect(() => buildContractsModel(clash, source)).toThrow(
      expect.objectContaining({ code: 'NAME_COLLISION', message: expect.stringContaining('ProcessOrderCompleted') }),
    );
  });

  it('refuses an export name that clashes with a generated identifier', () => {
    expect(() =>
      buildContractsModel(sampleWorkflow(PROCESS_ORDER_SHAPE), {
        ...source,
        exportName: 'ProcessOrderPhase',
        localName: 'ProcessOrderPhase',
      }),
    ).toThrow(expect.objectContaining({ code: 'NAME_COLLISION' }));
  });
});
