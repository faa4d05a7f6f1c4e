import 'reflect-metadata';
import { Controller, Module, ValidationPipe, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, RpcException } from '@nestjs/microservices';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, OrderStatus, processOrder } from '@app/orders';
import { connect } from 'amqplib';
import { StrategosEventsServer } from '../src/transport/rabbitmq/strategos-events.server';
import { ProcessOrderCompleted, ProcessOrderPhaseChanged, processOrderTransitions } from '../../orders/src/process-order.contracts';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { eventually } from './support/transport.contract';

const quiet: LoggerService = process.env.STRATEGOS_TEST_LOGS
  ? console
  : { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/** What the consumer received, and what its validation rejected (kept so that a failure shows why). */
class ReceivedEvents {
  readonly completed: ProcessOrderCompleted[] = [];
  readonly phaseChanges: ProcessOrderPhaseChanged[] = [];
  readonly rejected: string[] = [];
}

describe('a Nest microservice consuming the generated event contracts', () => {
  let environment: TestEnvironment;
  let consumer: INestMicroservice;
  let api: TestApp;
  let received: ReceivedEvents;
  let queue: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    queue = `${environment.namespace}.order-events`;
    received = new ReceivedEvents();
    // Validates each payload with the generated class, and hands the handler an instance of it.
    const validated = new ValidationPipe({
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => {
        received.rejected.push(errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`).join('; '));
        return new RpcException('invalid event');
      },
    });

    @Controller()
    class OrderEventsController {
      constructor(private readonly events: ReceivedEvents) {}

      @EventPattern(ProcessOrderCompleted.pattern)
      onCompleted(@Payload(validated) event: ProcessOrderCompleted): void {
        this.events.completed.push(event);
      }

      @EventPattern(ProcessOrderPhaseChanged.pattern)
      onPhaseChanged(@Payload(validated) event: ProcessOrderPhaseChanged): void {
        this.events.phaseChanges.push(event);
      }
    }

    @Module({ controllers: [OrderEventsController], providers: [{ provide: ReceivedEvents, useValue: received }] })
    class OrderEventsModule {}

    consumer = await NestFactory.createMicroservice(OrderEventsModule, {
      strategy: new StrategosEventsServer({ url: environment.rabbitmqUrl, namespace: environment.namespace, queue, logger: quiet }),
      logger: false,
    });
    await consumer.listen();
    api = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
  });

  afterAll(async () => {
    await api?.close();
    await consumer?.close();
    const connection = await connect(environment.rabbitmqUrl);
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
    await connection.close();
    await environment.cleanup([processOrder]);
  });

  it('receives ProcessOrderCompleted of a real run, validated and typed by the generated class', async () => {
    const initial = initialOrderState();
    const { workflowId } = await api.starter.start(processOrder, initial);
    await eventually(
      () => received.completed.some((event) => event.workflowId === workflowId) || received.rejected.length > 0,
      30_000,
      'ProcessOrderCompleted',
    );
    expect(received.rejected).toEqual([]);

    const completed = received.completed.find((event) => event.workflowId === workflowId)!;
    expect(completed).toBeInstanceOf(ProcessOrderCompleted);
    expect(completed).toMatchObject({ type: 'ProcessOrderCompleted', kind: 'Completed', workflowName: 'process-order' });
    expect(completed.data.state.status).toBe(OrderStatus.Completed);
    expect(completed.data.state.order).toEqual(initial.order);
    expect((await api.query.get(workflowId))?.status).toBe('completed');
  });

  it('sees the run move only along rows of the generated transitions table', async () => {
    const { workflowId } = await api.starter.start(processOrder, initialOrderState());
    await eventually(() => received.completed.some((event) => event.workflowId === workflowId), 30_000, 'ProcessOrderCompleted');
    await eventually(
      () => received.phaseChanges.filter((event) => event.workflowId === workflowId).length === 5,
      10_000,
      'five phase changes',
    );
    const moves = received.phaseChanges
      .filter((event) => event.workflowId === workflowId)
      .sort((a, b) => a.sequence - b.sequence)
      // At the join the run's phase is the fork's summary of the path that finished last, e.g. `Fork(ReserveInventory)`;
      // the table names that step.
      .map((event) => [String(event.data.from).replace(/^Fork\((\w+)\)$/, '$1'), event.data.to]);
    expect(moves.slice(0, 3)).toEqual([
      ['NotStarted', 'ValidateOrder'],
      ['ValidateOrder', 'ProcessPayment'], // the fork: both paths' first steps in one transition
      ['ValidateOrder', 'ReserveInventory'],
    ]);
    expect(['ProcessPayment', 'ReserveInventory']).toContain(moves[3][0]);
    expect(moves.slice(3).map(([, to]) => to)).toEqual(['FulfillOrder', 'SendConfirmation']);
    expect(moves[4]).toEqual(['FulfillOrder', 'SendConfirmation']);
    for (const [from, to] of moves) expect(processOrderTransitions.some((row) => row.from === from && row.to === to)).toBe(true);
  });
});
