import type { Topology } from '../../messages/topology';
import type { ConsumeOptions, MessageHandler, OutgoingMessage, Transport } from '../../transport/transport.interface';
import type { BrokerConnection } from './broker-connection';

/**
 * A {@link Transport} that only publishes, through a command's open {@link BrokerConnection}: what
 * `DeadLetters` needs to replay a message. The command line declares nothing and consumes nothing, so
 * `connect` does nothing and `consume` refuses.
 */
export class PublishingTransport implements Transport {
  constructor(private readonly broker: BrokerConnection) {}

  async connect(_topology: Topology): Promise<void> {}

  /** Publishes one message at a time, each confirmed before the next. */
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) await this.broker.publish(message);
  }

  async consume(queue: string, _handler: MessageHandler, _options: ConsumeOptions): Promise<void> {
    throw new Error(`The command line does not consume (asked for ${queue})`);
  }

  async stopConsuming(): Promise<void> {}

  /** The connection belongs to the command, which closes it. */
  async close(): Promise<void> {}

  isHealthy(): boolean {
    return true;
  }
}
