import type { LoggerService } from '@nestjs/common';
import { connect, type ChannelModel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { corkFrameWrites } from './cork-frame-writes';
import { reconnectDelay, type ReconnectBackoff } from './reconnect-backoff';
import { RabbitMqTransportError } from './rabbitmq-transport.error';
import { safeErrorMessage } from './safe-error-message';

/** How long one TCP/AMQP connection attempt may take before it counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Work run on every new connection before it counts as up: declare the topology, open channels, re-consume. */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

/** What {@link ConnectionSupervisor} needs to know. */
export interface ConnectionSupervisorOptions {
  readonly url: string;
  readonly connectionName: string;
  readonly reconnect: ReconnectBackoff;
  readonly logger: LoggerService;
}

/**
 * Owns the one AMQP connection of a transport: connects, runs the setup, and after a loss (other than
 * its own `close()`) reconnects with capped exponential back-off and runs the setup again.
 */
export class ConnectionSupervisor {
  private current: ChannelModel | undefined;
  private readonly waiters = new Set<ConnectionWaiter>();
  private loop: Promise<void> | undefined;
  private stopLoop: AbortController | undefined;
  private everConnected = false;
  private closedForGood = false;

  constructor(
    private readonly options: ConnectionSupervisorOptions,
    private readonly setup: ConnectionSetup,
  ) {}

  /** The connection, when it is up and its setup done. */
  get connection(): ChannelModel | undefined {
    return this.current;
  }

  get closed(): boolean {
    return this.closedForGood;
  }

  /**
   * Starts supervising and waits for the first connection, retrying with back-off meanwhile. If it never
   * comes, supervision stops again (nothing keeps retrying in the background) and `start` may be called again.
   * @throws RabbitMqTransportError `TRANSPORT_UNAVAILABLE` after `timeoutMs`; `ACCESS_REFUSED` or
   * `TOPOLOGY_MISMATCH` at once (retrying cannot help); `TRANSPORT_CLOSED`.
   */
  async start(timeoutMs: number): Promise<void> {
    if (this.closed) throw new RabbitMqTransportError('TRANSPORT_CLOSED', 'The RabbitMQ transport is closed; create a new one');
    if (!this.loop) {
      const stop = new AbortController();
      this.stopLoop = stop;
      this.loop = this.run(stop.signal);
    }
    try {
      await this.waitForConnection(timeoutMs);
    } catch (error) {
      if (!this.everConnected) await this.halt();
      throw error;
    }
  }

  /**
   * The connection once it is up.
   * @throws RabbitMqTransportError `TRANSPORT_UNAVAILABLE` after `timeoutMs`, `TRANSPORT_CLOSED` once closed.
   */
  waitForConnection(timeoutMs: number): Promise<ChannelModel> {
    if (this.current) return Promise.resolve(this.current);
    if (this.closed) return Promise.reject(new RabbitMqTransportError('TRANSPORT_CLOSED', 'The RabbitMQ transport is closed'));
    return new Promise((resolve, reject) => {
      const waiter: ConnectionWaiter = {
        resolve: (connection) => {
          clearTimeout(timer);
          resolve(connection);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new RabbitMqTransportError(
            'TRANSPORT_UNAVAILABLE',
            `RabbitMQ was unreachable for ${timeoutMs} ms; check that the broker is running and the url option`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Closes the connection for good: no reconnection afterwards. */
  async close(): Promise<void> {
    this.closedForGood = true;
    await this.halt();
    this.rejectWaiters(new RabbitMqTransportError('TRANSPORT_CLOSED', 'The RabbitMQ transport is closed'));
  }

  /** Stops the loop and closes the connection. */
  private async halt(): Promise<void> {
    this.stopLoop?.abort();
    const connection = this.current;
    this.current = undefined;
    await connection?.close().catch(() => undefined);
    await this.loop;
    this.loop = undefined;
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.reject(error);
    this.waiters.clear();
  }

  private async run(stop: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!stop.aborted) {
      const result = await this.establish();
      if (stop.aborted) {
        await result.connection?.close().catch(() => undefined);
        return;
      }
      if ('error' in result) {
        if (!this.everConnected && isPermanent(result.error)) return this.rejectWaiters(asTransportError(result.error, this.options.url));
        const delayMs = reconnectDelay(this.options.reconnect, attempt++);
        this.options.logger.warn({
          message: 'RabbitMQ connection attempt failed; retrying',
          attempt,
          delayMs,
          error: safeErrorMessage(result.error, this.options.url),
        });
        await sleep(delayMs, undefined, { signal: stop }).catch(() => undefined);
        continue;
      }
      attempt = 0;
      this.everConnected = true;
      this.current = result.connection;
      this.options.logger.log({ message: 'Connected to RabbitMQ', connectionName: this.options.connectionName });
      for (const waiter of [...this.waiters]) waiter.resolve(result.connection);
      this.waiters.clear();
      await result.closed;
      this.current = undefined;
      if (!stop.aborted)
        this.options.logger.warn({ message: 'RabbitMQ connection lost; reconnecting', connectionName: this.options.connectionName });
    }
  }

  /** One connection attempt with its setup; never rejects. */
  private async establish(): Promise<{ connection: ChannelModel; closed: Promise<void> } | { connection?: ChannelModel; error: Error }> {
    let connection: ChannelModel | undefined;
    try {
      connection = await connect(this.options.url, {
        clientProperties: { connection_name: this.options.connectionName },
        timeout: CONNECT_TIMEOUT_MS,
        // No Nagle: a publish or an ack written while an earlier segment is unacknowledged would otherwise wait
        // for the broker's delayed ACK (up to 40 ms on Linux), which made every step wait ~30 ms at low load.
        noDelay: true,
      });
      const model = connection;
      corkFrameWrites(model);
      const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
      model.on('error', (error: unknown) => {
        this.options.logger.warn({ message: 'RabbitMQ connection error', error: safeErrorMessage(error, this.options.url) });
      });
      // A resource alarm stops publishing until it clears; publishes stall meanwhile (and fail after unavailableTimeoutMs).
      model.on('blocked', (reason: unknown) =>
        this.options.logger.warn({ message: 'RabbitMQ blocked the connection', reason: String(reason) }),
      );
      model.on('unblocked', () => this.options.logger.log({ message: 'RabbitMQ unblocked the connection' }));
      const lost = closed.then(() => {
        throw new RabbitMqTransportError('CONNECTION_LOST', 'The connection closed during setup');
      });
      lost.catch(() => undefined);
      await Promise.race([this.setup(model), lost]);
      return { connection: model, closed };
    } catch (error) {
      await connection?.close().catch(() => undefined);
      return { error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

interface ConnectionWaiter {
  resolve(connection: ChannelModel): void;
  reject(error: Error): void;
}

function asTransportError(error: Error, url: string): RabbitMqTransportError {
  if (error instanceof RabbitMqTransportError) return error;
  return new RabbitMqTransportError(
    'ACCESS_REFUSED',
    `RabbitMQ refused the connection (${safeErrorMessage(error, url)}); check the credentials and virtual host of the url option`,
    {
      cause: error,
    },
  );
}

/** Errors that another attempt cannot fix: wrong credentials or vhost, or a conflicting topology. */
function isPermanent(error: Error): boolean {
  if (error instanceof RabbitMqTransportError) return error.code === 'TOPOLOGY_MISMATCH' || error.code === 'ACCESS_REFUSED';
  return /ACCESS[-_]REFUSED|NOT[-_]ALLOWED/.test(error.message);
}
