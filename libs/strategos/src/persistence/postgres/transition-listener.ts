import { Logger } from '@nestjs/common';
import type { Client, Notification } from 'pg';
import { TerminalSubscriptions, type Unsubscribe } from '../terminal-subscriptions';

/** Reconnect delays: doubling from the first to the last. */
const FIRST_RECONNECT_DELAY_MS = 100;
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The receiving end of the commit statement's `pg_notify`: one dedicated connection that LISTENs on the
 * store's channel and calls the subscribers of the workflow id each notice carries.
 *
 * Opened on the first subscription and held until `close()`. When the connection dies (server restart,
 * `pg_terminate_backend`) it reconnects with back-off while anyone is subscribed, then calls every
 * subscriber once: notices sent meanwhile are lost, so each waiter checks again.
 */
export class PostgresTransitionListener {
  private readonly logger = new Logger(PostgresTransitionListener.name);
  private readonly subscriptions = new TerminalSubscriptions();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  /**
   * @param createClient a new, unconnected client for the store's database.
   * @param channel a validated channel name (see `notificationChannel`).
   */
  constructor(
    private readonly createClient: () => Client,
    private readonly channel: string,
  ) {}

  /** Whether the connection is up and listening. */
  get listening(): boolean {
    return this.client !== null;
  }

  /**
   * Subscribes `listener` to the terminal transitions of `workflowId`. Resolves once listening, or once
   * the attempt to connect failed (the caller's poll covers the gap; reconnection continues meanwhile).
   */
  async subscribe(workflowId: string, listener: () => void): Promise<Unsubscribe> {
    const unsubscribe = this.subscriptions.add(workflowId, listener);
    if (!this.closed && !this.client) await this.connect();
    return unsubscribe;
  }

  /** Stops listening and closes the connection. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = this.createClient();
    // Both fire when the backend dies; `error` must have a listener, or it would crash the process.
    client.on('error', (error: Error) => this.onLost(client, error.message));
    client.on('end', () => this.onLost(client, 'connection ended'));
    client.on('notification', (notice: Notification) => {
      if (notice.channel === this.channel && notice.payload) this.subscriptions.notify(notice.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.failures += 1;
      this.logger.warn({
        message: 'Cannot listen for workflow transitions; waiting callers poll meanwhile',
        channel: this.channel,
        error: (error as Error).message,
      });
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const recovered = this.failures > 0;
    this.failures = 0;
    this.client = client;
    // Notices committed while nobody listened are lost: have every waiter check again.
    if (recovered) this.subscriptions.notifyAll();
  }

  private onLost(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = null;
    this.failures = Math.max(this.failures, 1);
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn({
      message: 'Lost the connection listening for workflow transitions; reconnecting',
      channel: this.channel,
      error: reason,
    });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    // Nobody waiting: the next subscription connects.
    if (this.closed || this.reconnectTimer || this.subscriptions.size === 0) return;
    const delay = Math.min(FIRST_RECONNECT_DELAY_MS * 2 ** Math.max(0, this.failures - 1), MAX_RECONNECT_DELAY_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.client && !this.closed) void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
