import 'reflect-metadata';
import { Controller, Injectable, Module, type INestMicroservice, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload, RpcException } from '@nestjs/microservices';
import { connect, type Channel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StrategosHeader } from '../src/messages/outbox-message';
import { topologyNames } from '../src/messages/topology';
import { StrategosEventsContext } from '../src/transport/rabbitmq/strategos-events.context';
import { StrategosEventsServer } from '../src/transport/rabbitmq/strategos-events.server';
import { RabbitMqTransport } from '../src/transport/rabbitmq/rabbitmq-transport';
import { toIncomingMessage } from '../src/transport/rabbitmq/to-incoming-message';
import type { IncomingMessage } from '../src/transport/transport.interface';
import { rabbitmqUrl, uniqueName } from './support/services';
import { eventually } from './support/transport.contract';

const quiet: LoggerService = process.env.STRATEGOS_TEST_LOGS
  ? console
  : { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

interface Received {
  readonly handler: string;
  readonly pattern: string;
  readonly data: unknown;
  readonly workflowId: unknown;
}

/** What the handlers saw, and how often the flaky one should still fail. */
@Injectable()
class EventLog {
  readonly received: Received[] = [];
  failuresLeft = 0;
}

// `@EventPattern<string>(…)`: Nest 12's typed overload types a handler's parameters after the payload as
// `unknown`, which rejects `@Ctx() context: StrategosEventsContext` under `strict`; the explicit type argument
// selects the untyped overload.
@Controller()
class OrderEventsController {
  constructor(private readonly log: EventLog) {}

  @EventPattern<string>('process-order.Completed')
  async onCompleted(@Payload() data: { readonly seq: number }, @Ctx() context: StrategosEventsContext): Promise<void> {
    await sleep(2);
    this.record('completed', data, context);
  }

  @EventPattern<string>('process-order.#')
  onAnything(@Payload() data: unknown, @Ctx() context: StrategosEventsContext): void {
    this.record('any', data, context);
  }

  @EventPattern<string>('ship-order.Failed')
  async onShippingFailed(@Payload() data: unknown, @Ctx() context: StrategosEventsContext): Promise<void> {
    if (this.log.failuresLeft > 0) {
      this.log.failuresLeft--;
      // An RpcException's message reaches the dead-letter reason; Nest reports other errors as 'Internal server error'.
      throw new RpcException('notification service down');
    }
    this.record('shipping', data, context);
  }

  private record(handler: string, data: unknown, context: StrategosEventsContext): void {
    this.log.received.push({ handler, pattern: context.getPattern(), data, workflowId: context.getHeaders()[StrategosHeader.WorkflowId] });
  }
}

@Module({ controllers: [OrderEventsController], providers: [EventLog] })
class BillingModule {}

describe('StrategosEventsServer', () => {
  const namespace = uniqueName('events');
  const names = topologyNames(namespace);
  const queue = `${namespace}.billing`;
  let app: INestMicroservice;
  let log: EventLog;
  let publisher: RabbitMqTransport;

  /** Publishes an event the way Strategos does: a `{ pattern, data }` packet on the events exchange (awaits the confirm). */
  function publish(pattern: string, data: unknown, body: string = JSON.stringify({ pattern, data })): Promise<void> {
    return publisher.publish([
      {
        exchange: names.eventsExchange,
        routingKey: pattern,
        messageId: randomUUID(),
        type: 'WorkflowEvent',
        headers: { [StrategosHeader.WorkflowId]: 'wf-42' },
        body,
      },
    ]);
  }

  /** On a connection of its own: other suites sharing the broker may close every connection at any time. */
  async function withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const connection = await connect(await rabbitmqUrl());
    connection.on('error', () => undefined);
    try {
      return await work(await connection.createChannel());
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  function deadLetters(): Promise<IncomingMessage[]> {
    return withChannel(async (channel) => {
      const found: IncomingMessage[] = [];
      for (let got = await channel.get(names.deadLetterQueue); got; got = await channel.get(names.deadLetterQueue))
        found.push(toIncomingMessage(names.deadLetterQueue, got));
      return found;
    });
  }

  beforeAll(async () => {
    const url = await rabbitmqUrl();
    app = await NestFactory.createMicroservice(BillingModule, {
      strategy: new StrategosEventsServer({ url, namespace, queue, logger: quiet }),
      logger: false,
    });
    await app.listen();
    log = app.get(EventLog);
    publisher = new RabbitMqTransport({ url, connectionName: `${namespace}.publisher`, logger: quiet });
    await publisher.connect({ ...names, commandQueues: [], queueType: 'quorum' });
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.close();
    await withChannel(async (channel) => {
      await channel.deleteQueue(queue);
      await channel.deleteQueue(names.deadLetterQueue);
      await channel.deleteExchange(names.eventsExchange);
      await channel.deleteExchange(names.deadLetterExchange);
    });
  });

  beforeEach(() => {
    log.received.length = 0;
    log.failuresLeft = 0;
  });

  it('delivers events to the @EventPattern handlers in the order they were published', async () => {
    for (let seq = 1; seq <= 30; seq++) await publish('process-order.Completed', { seq });
    await eventually(() => log.received.filter((entry) => entry.handler === 'completed').length === 30, 10_000, 'thirty events');
    const completed = log.received.filter((entry) => entry.handler === 'completed');
    expect(completed.map((entry) => (entry.data as { seq: number }).seq)).toEqual(Array.from({ length: 30 }, (_unused, n) => n + 1));
    expect(completed[0]).toMatchObject({ pattern: 'process-order.Completed', workflowId: 'wf-42' });
  });

  it('binds wildcard patterns, and gives an event every handler that matches', async () => {
    await publish('process-order.PhaseChanged', { phase: 'ProcessPayment' });
    await publish('process-order.Completed', { seq: 99 });
    await publish('unrelated.Completed', { ignored: true });
    await eventually(() => log.received.length === 3, 10_000, 'three handler calls');
    await sleep(200);
    expect(log.received.map((entry) => `${entry.handler}:${entry.pattern}`).sort()).toEqual([
      'any:process-order.Completed',
      'any:process-order.PhaseChanged',
      'completed:process-order.Completed',
    ]);
  });

  it('retries a failed handler once, then dead-letters the event', async () => {
    log.failuresLeft = 1;
    await publish('ship-order.Failed', { attempt: 'recovers' });
    await eventually(() => log.received.some((entry) => entry.handler === 'shipping'), 10_000, 'the retried event');

    log.failuresLeft = 2;
    await publish('ship-order.Failed', { attempt: 'gives up' });
    let dead: IncomingMessage[] = [];
    await eventually(async () => (dead = await deadLetters()).length === 1, 10_000, 'the dead letter');
    expect(dead[0].headers).toMatchObject({
      [StrategosHeader.DeadLetterCode]: 'EVENT_HANDLER_FAILED',
      [StrategosHeader.DeadLetterReason]: 'notification service down',
      [StrategosHeader.DeadLetterQueue]: queue,
    });
    expect(JSON.parse(dead[0].body)).toEqual({ pattern: 'ship-order.Failed', data: { attempt: 'gives up' } });
    expect(log.failuresLeft).toBe(0);
  });

  it('dead-letters a body that is not a packet and keeps serving', async () => {
    await publish('process-order.Completed', null, 'definitely not json');
    await publish('process-order.Completed', { seq: 1 });
    await eventually(() => log.received.some((entry) => entry.handler === 'completed'), 10_000, 'the valid event');
    await eventually(
      async () => (await deadLetters()).some((message) => message.headers[StrategosHeader.DeadLetterCode] === 'MALFORMED_EVENT'),
      10_000,
      'the malformed dead letter',
    );
  });

  it('unwraps to the transport, which is healthy while listening', () => {
    expect(app.unwrap<{ isHealthy(): boolean }>().isHealthy()).toBe(true);
  });
});
