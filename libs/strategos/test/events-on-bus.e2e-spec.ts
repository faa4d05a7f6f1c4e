import 'reflect-metadata';
import { Controller, Injectable, Module, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { InventoryService, ORDER_SERVICES, ORDER_STEPS, anOrder, initialOrderState, processOrder, type OrderState } from '@app/orders';
import { StrategosHeader, eventRoutingKey, topologyNames, type HistoryEntry, type WorkflowEvent } from '@strategos/nestjs';
import { StrategosEventsContext } from '../src/transport/rabbitmq/strategos-events.context';
import { StrategosEventsServer } from '../src/transport/rabbitmq/strategos-events.server';
import { waitForAll } from './support/history-assertions';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { eventually } from './support/transport.contract';

const quiet: LoggerService = process.env.STRATEGOS_TEST_LOGS
  ? console
  : { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/** One event as a subscriber received it: the decoded packet and what the message carried around it. */
interface ReceivedEvent {
  readonly routingKey: string;
  readonly pattern: string;
  readonly messageId: unknown;
  readonly type: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly event: WorkflowEvent;
}

/** What the Nest microservice's handler received, in arrival order. */
@Injectable()
class ReceivedEvents {
  readonly events: ReceivedEvent[] = [];
}

// `<string>` selects Nest's untyped overload, so that `@Ctx()` can be typed under `strict`.
@Controller()
class OrderEventsController {
  constructor(private readonly received: ReceivedEvents) {}

  @EventPattern<string>('process-order.#')
  onOrderEvent(@Payload() event: WorkflowEvent, @Ctx() context: StrategosEventsContext): void {
    const message = context.getMessage();
    this.received.events.push({
      routingKey: context.getPattern(),
      pattern: context.getPattern(),
      messageId: message.messageId,
      type: message.type,
      headers: message.headers,
      event,
    });
  }
}

@Module({ controllers: [OrderEventsController], providers: [ReceivedEvents] })
class OrderEventsModule {}

const WORKFLOWS = 20;
const DECLINED = 5;
const OUT_OF_STOCK = 12;

/**
 * The events of real `process-order` runs as subscribers see them on `<namespace>.events`: a plain amqplib
 * consumer and a Nest microservice with `@EventPattern`. Per workflow they arrive in `sequence` order, with no
 * gap and no duplicate, on one queue with one consumer (see docs/events.md for the guarantee and its limits).
 */
describe('workflow events on the bus', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let secondApp: TestApp;
  let microservice: INestMicroservice;
  let connection: ChannelModel;
  let channel: Channel;
  let nestQueue: string;
  const plain: ReceivedEvent[] = [];
  const histories = new Map<string, HistoryEntry[]>();
  let declinedId: string;
  let outOfStockId: string;

  function received(message: ConsumeMessage): ReceivedEvent {
    const packet = JSON.parse(message.content.toString('utf8')) as { pattern: string; data: WorkflowEvent };
    return {
      routingKey: message.fields.routingKey,
      pattern: packet.pattern,
      messageId: message.properties.messageId,
      type: message.properties.type,
      headers: message.properties.headers ?? {},
      event: packet.data,
    };
  }

  beforeAll(async () => {
    environment = await createTestEnvironment();
    nestQueue = `${environment.namespace}.events-on-bus`;
    // Two Strategos apps compete for the step queues, so that successive transitions of one run are committed and
    // published by different connections, as with several worker processes.
    app = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
    secondApp = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);

    // (a) A plain amqplib subscriber: its own exclusive queue bound with `process-order.#`, one consumer, prefetch 1.
    connection = await connect(environment.rabbitmqUrl);
    channel = await connection.createChannel();
    await channel.prefetch(1);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topologyNames(environment.namespace).eventsExchange, 'process-order.#');
    await channel.consume(queue, (message) => {
      if (!message) return;
      plain.push(received(message));
      channel.ack(message);
    });

    // (b) A Nest microservice on StrategosEventsServer (durable quorum queue, prefetch 1 by default).
    microservice = await NestFactory.createMicroservice(OrderEventsModule, {
      strategy: new StrategosEventsServer({
        url: environment.rabbitmqUrl,
        namespace: environment.namespace,
        queue: nestQueue,
        logger: quiet,
      }),
      logger: false,
    });
    await microservice.listen();

    // Twenty runs started at once, so that their events interleave on the queues: 18 complete, one payment is
    // declined (failed, nothing to compensate), one item is out of stock (the payment is refunded: compensated).
    const states = Array.from({ length: WORKFLOWS }, (_unused, index) => {
      if (index === DECLINED) return initialOrderState(anOrder({ customerId: 'declined-1' }));
      if (index === OUT_OF_STOCK) return initialOrderState(anOrder({ items: [{ sku: 'OOS-9', quantity: 1, price: 5 }] }));
      return initialOrderState(anOrder());
    });
    declinedId = states[DECLINED].workflowId;
    outOfStockId = states[OUT_OF_STOCK].workflowId;
    await Promise.all(states.map((state) => app.starter.start(processOrder, state)));
    await waitForAll(
      app.query,
      states.map((state) => state.workflowId),
      60_000,
    );
    for (const state of states) histories.set(state.workflowId, await app.query.history(state.workflowId));

    const total = [...histories.values()].reduce((sum, history) => sum + history.length, 0);
    const nestEvents = microservice.get(ReceivedEvents).events;
    await eventually(() => plain.length >= total && nestEvents.length >= total, 30_000, `${total} events at both subscribers`);
    // Room for a stray duplicate or late event to show up before the assertions.
    await sleep(500);
  });

  afterAll(async () => {
    await microservice?.close();
    await secondApp?.close();
    await app?.close();
    if (connection) {
      const cleanup = await connection.createChannel();
      await cleanup.deleteQueue(nestQueue);
      await connection.close();
    }
    await environment?.cleanup([processOrder]);
  });

  /** The events each workflow's subscriber received, in arrival order. */
  function byWorkflow(events: readonly ReceivedEvent[]): Map<string, WorkflowEvent[]> {
    const grouped = new Map<string, WorkflowEvent[]>();
    for (const { event } of events) grouped.set(event.workflowId, [...(grouped.get(event.workflowId) ?? []), event]);
    return grouped;
  }

  /** Per workflow: sequence 1, 2, 3, … in arrival order, every recorded event once, as recorded. */
  function expectEveryRunInSequenceOrder(events: readonly ReceivedEvent[]): void {
    const grouped = byWorkflow(events);
    expect([...grouped.keys()].sort()).toEqual([...histories.keys()].sort());
    for (const [workflowId, history] of histories) {
      const arrived = grouped.get(workflowId) ?? [];
      expect(arrived.map((event) => event.sequence)).toEqual(history.map((_entry, index) => index + 1));
      expect(arrived.map(({ sequence, kind, data }) => ({ sequence, kind, data }))).toEqual(
        history.map(({ sequence, kind, data }) => ({ sequence, kind, data })),
      );
    }
    expect(new Set(events.map(({ event }) => event.eventId)).size).toBe(events.length);
  }

  /** The kinds of one run's events in arrival order, with the phase a PhaseChanged moves to. */
  function trail(events: readonly ReceivedEvent[], workflowId: string): string[] {
    return (byWorkflow(events).get(workflowId) ?? []).map((event) =>
      event.kind === 'PhaseChanged' ? `→${String(event.data.to)}` : event.kind,
    );
  }

  it('delivers every event of every run to a plain amqplib consumer, per workflow in sequence order', () => {
    expectEveryRunInSequenceOrder(plain);
    // Both apps ran steps (each holds the reservations its ReserveInventory made): the order held across
    // publishing connections, not only within one.
    expect(app.app.get(InventoryService).held().length).toBeGreaterThan(0);
    expect(secondApp.app.get(InventoryService).held().length).toBeGreaterThan(0);
  });

  it('delivers every event of every run to a Nest @EventPattern handler on StrategosEventsServer, per workflow in sequence order', () => {
    expectEveryRunInSequenceOrder(microservice.get(ReceivedEvents).events);
  });

  it('routes each event by <workflow>.<Kind> as a { pattern, data } packet with the id, type and x-strategos headers', () => {
    for (const message of plain) {
      const { event } = message;
      expect(message.routingKey).toBe(eventRoutingKey('process-order', event.kind));
      expect(message.pattern).toBe(message.routingKey);
      expect(message.messageId).toBe(event.eventId);
      expect(message.type).toBe(`ProcessOrder${event.kind}`);
      expect(event).toMatchObject({ type: `ProcessOrder${event.kind}`, workflowName: 'process-order' });
      expect(message.headers).toMatchObject({
        [StrategosHeader.WorkflowId]: event.workflowId,
        [StrategosHeader.Workflow]: 'process-order',
        [StrategosHeader.Sequence]: event.sequence,
      });
    }
    for (const message of microservice.get(ReceivedEvents).events) {
      expect(message.pattern).toBe(`process-order.${message.event.kind}`);
      expect(message.headers).toMatchObject({
        [StrategosHeader.WorkflowId]: message.event.workflowId,
        [StrategosHeader.Sequence]: message.event.sequence,
      });
    }
  });

  /**
   * A run that failed in one fork path: the fork's start, the failure and the other path's step if it ran (in the
   * order they happened), then compensation of that step if it completed, the failure notification and Failed.
   */
  function expectFailedInFork(workflowId: string, failed: string, other: { step: string; undo: string }): WorkflowEvent[] {
    const events = byWorkflow(plain).get(workflowId) ?? [];
    const kinds = trail(plain, workflowId);
    const otherRan = events.some((event) => event.kind === 'StepCompleted' && event.data.step === other.step);
    const prefix = ['Started', '→ValidateOrder', 'StepCompleted', '→ProcessPayment', '→ReserveInventory'];
    const suffix = [
      ...(otherRan ? ['Compensating', `→${other.undo}`, 'StepCompleted', 'Compensated'] : []),
      '→SendFailureNotification',
      'StepCompleted',
      'Failed',
    ];
    const middle = otherRan ? ['StepCompleted', 'StepFailed'] : ['StepFailed'];
    expect(kinds.slice(0, prefix.length)).toEqual(prefix);
    expect(kinds.slice(prefix.length, prefix.length + middle.length).sort()).toEqual(middle);
    expect(kinds.slice(prefix.length + middle.length)).toEqual(suffix);
    expect(events.find((event) => event.kind === 'StepFailed')?.data).toMatchObject({ step: failed, attempt: 1, willRetry: false });
    if (otherRan) {
      expect(events.find((event) => event.kind === 'Compensating')?.data).toMatchObject({ steps: [other.undo] });
      expect(events.find((event) => event.kind === 'Compensated')?.data).toEqual({ steps: [other.undo] });
    }
    expect(events.at(-1)?.data).toMatchObject({ status: otherRan ? 'compensated' : 'failed', error: { step: failed } });
    return events;
  }

  it('publishes the documented events of a completed, a declined and an out-of-stock run', () => {
    const completedId = [...histories.keys()].find((id) => id !== declinedId && id !== outOfStockId) ?? '';
    // Payment and reservation are fork paths: both start in one transition, and complete in either order.
    expect(trail(plain, completedId)).toEqual([
      'Started',
      '→ValidateOrder',
      'StepCompleted',
      '→ProcessPayment',
      '→ReserveInventory',
      'StepCompleted',
      'StepCompleted',
      '→FulfillOrder',
      'StepCompleted',
      '→SendConfirmation',
      'StepCompleted',
      'Completed',
    ]);
    const completed = byWorkflow(plain).get(completedId) ?? [];
    expect((completed.at(-1)?.data.state as unknown as OrderState | undefined)?.status).toBe('Completed');
    expect(completed.filter((event) => event.kind === 'PhaseChanged').map((event) => event.data.path ?? 'main')).toEqual([
      'main',
      'fork#1.1',
      'fork#1.2',
      'main',
      'main',
    ]);

    const declined = expectFailedInFork(declinedId, 'ProcessPayment', { step: 'ReserveInventory', undo: 'ReleaseInventory' });
    expect(declined.find((event) => event.kind === 'StepFailed')?.data).toEqual({
      step: 'ProcessPayment',
      attempt: 1,
      code: 'PAYMENT_FAILED',
      message: 'Payment processing failed',
      willRetry: false,
      path: 'fork#1.1',
    });
    expect(declined.at(-1)?.data).toMatchObject({
      error: { code: 'PAYMENT_FAILED', message: 'Payment processing failed', step: 'ProcessPayment' },
    });

    const outOfStock = expectFailedInFork(outOfStockId, 'ReserveInventory', { step: 'ProcessPayment', undo: 'RefundPayment' });
    expect(outOfStock.at(-1)?.data).toMatchObject({ error: { code: 'OUT_OF_STOCK', step: 'ReserveInventory' } });
  });
});
