import { Inject, Injectable, Scope } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeadLetters, Step, StepResult, Workflow, type WorkflowState, type WorkflowStep } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

interface GatewayState extends WorkflowState {
  readonly charged?: boolean;
}

const GATEWAY = 'PAYMENT_GATEWAY';

/** A step resolved per message whose dependency cannot be built: every delivery fails before the step runs. */
@Injectable({ scope: Scope.REQUEST })
@Step({ name: 'ChargeThroughGateway' })
class ChargeThroughGateway implements WorkflowStep<GatewayState> {
  constructor(@Inject(GATEWAY) private readonly gateway: { charge(): boolean }) {}

  async execute(): Promise<StepResult<GatewayState>> {
    return StepResult.ok({ charged: this.gateway.charge() });
  }
}

@Step({ name: 'ConfirmCharge' })
class ConfirmCharge implements WorkflowStep<GatewayState> {
  async execute(): Promise<StepResult<GatewayState>> {
    return StepResult.ok();
  }
}

const gatewaySaga = Workflow.create<GatewayState>('gateway-saga').startWith(ChargeThroughGateway).finally(ConfirmCharge);

describe('a command whose processing fails unexpectedly on every delivery', () => {
  let environment: TestEnvironment;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(
      environment,
      [gatewaySaga],
      [
        ChargeThroughGateway,
        ConfirmCharge,
        {
          provide: GATEWAY,
          scope: Scope.REQUEST,
          useFactory: () => {
            throw new Error('the payment gateway client could not be created');
          },
        },
      ],
      // Short pauses between deliveries, so that the bound is reached quickly.
      { storeRetry: { initialDelayMs: 20, maxDelayMs: 100, maxHoldMs: 60_000 } },
    );
  });

  afterAll(async () => {
    await app.close();
    await environment.cleanup([gatewaySaga]);
  });

  it('is retried a bounded number of times, then dead-lettered with PROCESSING_FAILED and the reason', async () => {
    const { workflowId } = await app.starter.start(gatewaySaga, { workflowId: randomUUID() });
    const deadLetters = app.app.get(DeadLetters);
    let letter;
    for (let i = 0; i < 600 && !letter; i++) {
      letter = (await deadLetters.list()).find((candidate) => candidate.code === 'PROCESSING_FAILED');
      if (!letter) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(letter).toBeDefined();
    expect(letter?.reason).toContain('the payment gateway client could not be created');
    expect(letter?.originalQueue).toContain('ChargeThroughGateway');
    // Nothing ran and nothing moved: the run still waits at its step, and a replay after a fix would continue it.
    const view = await app.query.get(workflowId);
    expect(view).toMatchObject({ status: 'running', phase: 'ChargeThroughGateway' });
  }, 90_000);
});
