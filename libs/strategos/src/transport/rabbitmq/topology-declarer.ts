import type { Channel, ChannelModel, Options } from 'amqplib';
import type { Topology } from '../../messages/topology';
import { AmqpReplyCode, hasReplyCode } from './amqp-reply-code';
import type { EventSubscription } from './rabbitmq-transport-options.interface';
import { RabbitMqTransportError } from './rabbitmq-transport.error';

/**
 * Declares the broker objects of a topology, idempotently (run on every connection): the events exchange
 * (topic), the dead-letter exchange (fanout) and queue, every command queue, and the subscription queues
 * bound to the events exchange. Every queue is durable with `x-queue-type`.
 */
export class TopologyDeclarer {
  constructor(
    private readonly topology: Topology,
    private readonly subscriptions: readonly EventSubscription[],
    private readonly subscriptionQueueType: 'quorum' | 'classic',
  ) {}

  /**
   * Declares everything on a short-lived channel of `connection`.
   * @throws RabbitMqTransportError `TOPOLOGY_MISMATCH` when an object exists with other arguments.
   */
  async declare(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    // A refused declaration closes the channel with an 'error' event; the rejected call reports it.
    channel.on('error', () => undefined);
    try {
      await this.declareOn(channel);
    } catch (error) {
      if (hasReplyCode(error, AmqpReplyCode.PreconditionFailed)) {
        throw new RabbitMqTransportError(
          'TOPOLOGY_MISMATCH',
          `RabbitMQ refused the topology (${(error as Error).message}); delete the conflicting queue or exchange, or align the queueType option`,
          {
            cause: error,
          },
        );
      }
      throw error;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  private async declareOn(channel: Channel): Promise<void> {
    const { eventsExchange, deadLetterExchange, deadLetterQueue, commandQueues, queueType } = this.topology;
    // amqplib pipelines the calls of one channel; the first refusal rejects the lot.
    await Promise.all([
      channel.assertExchange(eventsExchange, 'topic', { durable: true }),
      channel.assertExchange(deadLetterExchange, 'fanout', { durable: true }),
      channel.assertQueue(deadLetterQueue, queueOptions(queueType)),
      ...commandQueues.map((queue) => channel.assertQueue(queue, queueOptions(queueType))),
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

/** Options of a durable queue of the given type. */
export function queueOptions(queueType: 'quorum' | 'classic'): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': queueType } };
}
