import { Logger } from '@nestjs/common';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { StrategosHeader } from '../messages/outbox-message';
import { parseEventPacket } from '../transport/rabbitmq/event-packet';

/** What the live view needs of one workflow event on the bus. */
export interface BusEvent {
  readonly workflowId: string;
  readonly workflow: string;
  /** The event kind (`PhaseChanged`, `Completed`, …), from the routing key `<workflow>.<Kind>`. */
  readonly kind: string;
  readonly traceparent?: string;
}

/** Queue depth and consumers of a queue, or null when it does not exist or the broker is unreachable. */
export interface QueueStatus {
  readonly consumers: number;
  readonly messages: number;
}

const RECONNECT_MS = 2_000;

/**
 * The dashboard's own connection to RabbitMQ: an exclusive, auto-deleted queue bound to the events
 * exchange with `#` (every workflow event, as any observer would bind), consumed without acks (a view: a
 * lost event is repaired by the next read), and passive queue checks for the stalled-steps figure.
 * Reconnects by itself; never declares or changes the application's topology.
 */
export class DashboardEventFeed {
  private readonly logger = new Logger('StrategosDashboard');
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly eventsExchange: string,
    private readonly connectionName: string,
    private readonly onEvent: (event: BusEvent) => void,
  ) {}

  /** Connects now, and again after every loss, until `close`. Never rejects. */
  async start(): Promise<void> {
    try {
      const connection = await connect(this.url, { clientProperties: { connection_name: this.connectionName } });
      // Closed while connecting (an app shut down right after start): nothing else would close this connection.
      if (this.closed) {
        await connection.close().catch(() => undefined);
        return;
      }
      this.connection = connection;
      connection.on('error', () => undefined);
      connection.on('close', () => this.scheduleReconnect());
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      this.channel = channel;
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(queue, this.eventsExchange, '#');
      await channel.consume(queue, (message) => message && this.handle(message), { noAck: true });
      this.logger.log({ message: 'Dashboard live feed bound', exchange: this.eventsExchange });
    } catch (error) {
      this.logger.warn({ message: 'Dashboard live feed could not connect; retrying', error: (error as Error).message });
      await this.connection?.close().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  /** Consumers and ready messages of `queue` (passive check on a throwaway channel: a missing queue closes only it). */
  async queueStatus(queue: string): Promise<QueueStatus | null> {
    const connection = this.connection;
    if (!connection) return null;
    let channel: Channel | undefined;
    try {
      channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const status = await channel.checkQueue(queue);
      return { consumers: status.consumerCount, messages: status.messageCount };
    } catch {
      return null;
    } finally {
      await channel?.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    this.connection = undefined;
    this.channel = undefined;
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) void this.start();
    }, RECONNECT_MS);
    this.timer.unref();
  }

  private handle(message: ConsumeMessage): void {
    const headers = message.properties.headers ?? {};
    const packet = parseEventPacket(message.content.toString('utf8'));
    const workflowId = headers[StrategosHeader.WorkflowId];
    const workflow = headers[StrategosHeader.Workflow];
    if (!packet || typeof workflowId !== 'string' || typeof workflow !== 'string') return;
    const kind = packet.pattern.slice(packet.pattern.lastIndexOf('.') + 1);
    const traceparent = headers[StrategosHeader.TraceParent];
    this.onEvent({ workflowId, workflow, kind, ...(typeof traceparent === 'string' ? { traceparent } : {}) });
  }
}
