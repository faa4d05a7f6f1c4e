import { Logger, type LoggerService } from '@nestjs/common';
import type { Channel, ChannelModel, Options } from 'amqplib';
import type { Topology } from '../../messages/topology';
import { AmqpReplyCode, hasReplyCode } from './amqp-reply-code';
import type { EventSubscription } from './rabbitmq-transport-options.interface';
import { RabbitMqTransportError } from './rabbitmq-transport.error';

/**
 * Declares the broker objects of a topology, idempotently (run on every connection): the events exchange
 * (topic), the dead-letter exchange (fanout) and queue, every command queue, and the subscription queues
 * bound to the events exchange. Every queue is durable with `x-queue-type`.
 *
 * Command queues are declared with `x-dead-letter-exchange` set to the namespace's dead-letter exchange, so a
 * message the broker itself drops (a quorum queue's delivery limit, RabbitMQ 4's default of 20, or a
 * `delivery-limit` policy; a TTL or length limit set by policy) becomes a dead letter, never a loss. A command
 * queue that already exists without that argument (declared by an earlier version) cannot change its arguments
 * (RabbitMQ answers PRECONDITION_FAILED): it is used as it is, with a warning naming it; see the README
 * ("Upgrading queues declared without a dead-letter exchange") for the policy or re-creation that migrates it.
 */
export class TopologyDeclarer {
  private warned = false;

  constructor(
    private readonly topology: Topology,
    private readonly subscriptions: readonly EventSubscription[],
    private readonly subscriptionQueueType: 'quorum' | 'classic',
    private readonly logger: LoggerService = new Logger(TopologyDeclarer.name),
  ) {}

  /**
   * Declares everything on a short-lived channel of `connection`.
   * @throws RabbitMqTransportError `TOPOLOGY_MISMATCH` when an object exists with other arguments.
   */
  async declare(connection: ChannelModel): Promise<void> {
    try {
      await this.onChannel(connection, (channel) => this.declareOn(channel, this.topology.commandQueues));
    } catch (error) {
      if (!hasReplyCode(error, AmqpReplyCode.PreconditionFailed)) throw error;
      // Some queue exists with other arguments: find the command queues declared without the dead-letter exchange.
      const legacy: string[] = [];
      for (const queue of this.topology.commandQueues) {
        const declared = await this.onChannel(connection, (channel) => channel.assertQueue(queue, this.commandQueueOptions())).then(
          () => true,
          (queueError: unknown) => {
            if (hasReplyCode(queueError, AmqpReplyCode.PreconditionFailed)) return false;
            throw queueError;
          },
        );
        if (!declared) legacy.push(queue);
      }
      if (legacy.length === 0) throw this.mismatch(error);
      await this.onChannel(connection, async (channel) => {
        await Promise.all(legacy.map((queue) => channel.assertQueue(queue, queueOptions(this.topology.queueType))));
        await this.declareOn(
          channel,
          this.topology.commandQueues.filter((queue) => !legacy.includes(queue)),
        );
      }).catch((retryError: unknown) => {
        throw hasReplyCode(retryError, AmqpReplyCode.PreconditionFailed) ? this.mismatch(retryError) : retryError;
      });
      if (!this.warned) {
        this.warned = true;
        this.logger.warn({
          message:
            'Command queues exist without a dead-letter exchange (declared by an earlier version): a message the broker drops there is lost; migrate them (README: "Upgrading queues declared without a dead-letter exchange")',
          queues: legacy,
          deadLetterExchange: this.topology.deadLetterExchange,
        });
      }
    }
  }

  private mismatch(error: unknown): RabbitMqTransportError {
    return new RabbitMqTransportError(
      'TOPOLOGY_MISMATCH',
      `RabbitMQ refused the topology (${(error as Error).message}); delete the conflicting queue or exchange, or align the queueType option`,
      { cause: error },
    );
  }

  private commandQueueOptions(): Options.AssertQueue {
    return queueOptions(this.topology.queueType, this.topology.deadLetterExchange);
  }

  /** Runs `work` on a short-lived channel (a refused declaration closes it). */
  private async onChannel<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await connection.createChannel();
    // A refused declaration closes the channel with an 'error' event; the rejected call reports it.
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Declares everything, with `commandQueues` (those not declared yet) carrying the dead-letter exchange. */
  private async declareOn(channel: Channel, commandQueues: readonly string[]): Promise<void> {
    const { eventsExchange, deadLetterExchange, deadLetterQueue, queueType } = this.topology;
    // amqplib pipelines the calls of one channel; the first refusal rejects the lot.
    await Promise.all([
      channel.assertExchange(eventsExchange, 'topic', { durable: true }),
      channel.assertExchange(deadLetterExchange, 'fanout', { durable: true }),
      channel.assertQueue(deadLetterQueue, queueOptions(queueType)),
      ...commandQueues.map((queue) => channel.assertQueue(queue, this.commandQueueOptions())),
      ...this.subscriptions.map((subscription) => channel.assertQueue(subscription.queue, queueOptions(this.subscriptionQueueType))),
    ]);
    await Promise.all([
      channel.bindQueue(deadLetterQueue, deadLetterExchange, ''),
      ...this.subscriptions.flatMap((subscription) =>
        subscription.routingKeys.map((key) => channel.bindQueue(subscription.queue, eventsExchange, key)),
      ),
    ]);
  }
}

/** Options of a durable queue of the given type, dead-lettering to `deadLetterExchange` when given. */
export function queueOptions(queueType: 'quorum' | 'classic', deadLetterExchange?: string): Options.AssertQueue {
  const deadLettering = deadLetterExchange === undefined ? {} : { 'x-dead-letter-exchange': deadLetterExchange };
  return { durable: true, arguments: { 'x-queue-type': queueType, ...deadLettering } };
}
