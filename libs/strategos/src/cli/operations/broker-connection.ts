import { connect, type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import type { OutgoingMessage } from '../../transport/transport.interface';
import { toPublishRequest } from '../../transport/rabbitmq/publish-request';
import { CliOperationError } from './cli-operation.error';
import type { ConnectionSettings } from './connection-settings';
import { connectionErrorMessage, redactedUrl } from './redacted-url';

/**
 * The RabbitMQ side of one operations command: one connection and one confirm channel. Messages go out
 * exactly as the runtime publishes them (persistent JSON, `mandatory` for a queue), and `publish`
 * resolves once the broker confirmed: a queue that does not exist fails instead of dropping the message.
 */
export class BrokerConnection {
  private readonly returned = new Set<string>();

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly settings: ConnectionSettings,
  ) {
    channel.on('return', (message: Message) => {
      const id: unknown = message.properties.messageId;
      if (typeof id === 'string') this.returned.add(id);
    });
  }

  /**
   * Connects within `settings.connectTimeoutMs`, runs `work` and closes the connection, whatever `work` does.
   * @throws CliOperationError `BROKER_UNAVAILABLE`; what `work` throws.
   */
  static async use<T>(settings: ConnectionSettings, work: (broker: BrokerConnection) => Promise<T>): Promise<T> {
    const connection = await connectWithin(settings);
    try {
      let channel: ConfirmChannel;
      try {
        channel = await connection.createConfirmChannel();
      } catch (error) {
        throw unavailable(settings, error);
      }
      // A channel the broker closes rejects the pending confirms; the rejected publish reports it.
      channel.on('error', () => undefined);
      return await work(new BrokerConnection(connection, channel, settings));
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /**
   * Publishes `message` and resolves once the broker confirmed it.
   * @throws CliOperationError `QUEUE_NOT_FOUND` when no queue took it, `PUBLISH_FAILED` when the broker refused it.
   */
  async publish(message: OutgoingMessage): Promise<void> {
    const request = toPublishRequest(message);
    try {
      await new Promise<void>((resolve, reject) => {
        this.channel.publish(request.exchange, request.routingKey, request.content, request.options, (error: unknown) =>
          error ? reject(error) : resolve(),
        );
      });
    } catch (error) {
      throw new CliOperationError(
        'PUBLISH_FAILED',
        `RabbitMQ at ${redactedUrl(this.settings.rabbitmqUrl)} did not confirm the message to ${message.routingKey}: ${connectionErrorMessage(error, this.settings.rabbitmqUrl)}`,
        {
          cause: error,
        },
      );
    }
    // A mandatory message that no queue took comes back (basic.return) before its confirm.
    if (this.returned.delete(message.messageId)) {
      throw new CliOperationError('QUEUE_NOT_FOUND', `RabbitMQ has no queue ${message.routingKey}; the message was not delivered`);
    }
  }

  /**
   * How many consumers `queue` has, or undefined when it does not exist. On a channel of its own: the
   * broker closes the channel that asks about a missing queue.
   */
  async consumerCount(queue: string): Promise<number | undefined> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).consumerCount;
    } catch {
      return undefined;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

/** amqplib bounds the socket's silence with `timeout`; the race bounds the handshake as a whole. */
async function connectWithin(settings: ConnectionSettings): Promise<ChannelModel> {
  const { rabbitmqUrl: url, connectTimeoutMs } = settings;
  const attempt = connect(url, { timeout: connectTimeoutMs, clientProperties: { connection_name: 'strategos-cli' } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  });
  try {
    const connection = await Promise.race([attempt, timeout]);
    connection.on('error', () => undefined);
    return connection;
  } catch (error) {
    // A connection that opens after the deadline is closed at once.
    attempt
      .then(
        (late) => late.close(),
        () => undefined,
      )
      .catch(() => undefined);
    throw unavailable(settings, error);
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(settings: ConnectionSettings, error: unknown): CliOperationError {
  return new CliOperationError(
    'BROKER_UNAVAILABLE',
    `Cannot use RabbitMQ at ${redactedUrl(settings.rabbitmqUrl)}: ${connectionErrorMessage(error, settings.rabbitmqUrl)}; check --rabbitmq-url or RABBITMQ_URL`,
    { cause: error },
  );
}
