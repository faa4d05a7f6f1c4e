import { Logger } from '@nestjs/common';
import { publishesEventKind, type StrategosSettings } from '../config/strategos-settings';
import { eventMessage } from '../messages/event-message';
import { topologyNames } from '../messages/topology';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import type { EventLog, EventLogPosition, LoggedEvent } from './event-log.interface';
import { publishOrDeadLetter } from './unpublishable-message';

/**
 * Publishes workflow events from the store's event log, instead of an outbox row per event: one process per
 * namespace leads (the others stand by and take over when its database session ends), reads the events committed
 * after its durable cursor in the log's order (the order in which their transactions got their ids, up to the
 * oldest transaction still running, so that nothing committed out of that order is passed over), publishes them
 * in batches with confirms, then moves the cursor. Per workflow the order is kept: a run's next transition is
 * committed by a transaction that started after the previous one had committed, so it has a larger id.
 *
 * At least once: a crash between a publish and the cursor's move publishes those events again (consumers
 * deduplicate by `eventId` or `sequence`). It runs after every local commit (`wake`) and every
 * `events.pollIntervalMs` for the commits of other processes.
 */
export class EventLogPublisher {
  private readonly logger = new Logger(EventLogPublisher.name);
  private readonly exchange: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Whether polls and wake-ups run (between `start` and `stop`). */
  private started = false;
  private leading = false;
  /** Where this leader stands; re-read from the store whenever the lead is (re)taken. */
  private cursor: EventLogPosition | undefined;
  /** When a standby may next try to take the lead. */
  private nextLeadAttempt = 0;

  constructor(
    private readonly log: EventLog,
    private readonly transport: Transport,
    private readonly settings: StrategosSettings,
  ) {
    this.exchange = topologyNames(settings.namespace).eventsExchange;
  }

  start(): void {
    this.started = true;
    this.timer ??= setInterval(() => this.wake(), this.settings.eventPollIntervalMs).unref();
    this.wake();
  }

  /** Publishes what the log holds now, soon (after a local commit: the event latency stays that of a commit). */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  /** Publishes everything committed so far (when this process leads); resolves when done. Never rejects. */
  async publishPending(): Promise<void> {
    while (this.running) await this.running;
    this.nextLeadAttempt = 0;
    this.running = this.drain().finally(() => (this.running = undefined));
    await this.running;
  }

  /** Stops polling, publishes what this process's commits left in the log (when leading), and gives up the lead. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    if (this.leading) await this.publishAvailable();
    this.leading = false;
    await this.log.resign();
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      await this.publishAvailable();
    } while (this.again);
  }

  private async publishAvailable(): Promise<void> {
    try {
      if (!(await this.lead())) return;
      const namespace = this.settings.namespace;
      this.cursor ??= await this.log.cursor(namespace);
      for (;;) {
        const events = await this.log.readAfter(this.cursor, this.settings.eventBatchSize);
        if (events.length === 0) return;
        await this.publish(events);
        const last = events[events.length - 1].at;
        await this.log.advance(namespace, last);
        this.cursor = last;
        if (events.length < this.settings.eventBatchSize) return;
      }
    } catch (error) {
      // The session may be gone (and with it the lead): take it again and re-read the cursor next time.
      // Tried again after a relay interval (not at every poll) while the database or broker is away.
      this.leading = false;
      this.cursor = undefined;
      this.nextLeadAttempt = Date.now() + this.settings.relayIntervalMs;
      this.logger.warn({ message: 'Publishing events from the event log failed; retrying', error: (error as Error).message });
    }
  }

  /** Whether this process leads; a standby tries to take the lead at most every `outbox.relayIntervalMs`. */
  private async lead(): Promise<boolean> {
    if (!this.leading && Date.now() < this.nextLeadAttempt) return false;
    const leadership = await this.log.lead(this.settings.namespace);
    if (leadership === 'acquired') {
      // Another leader may have moved the cursor meanwhile.
      this.cursor = undefined;
      this.logger.log({ message: 'Publishing workflow events from the event log', namespace: this.settings.namespace });
    }
    this.leading = leadership !== 'standby';
    if (!this.leading) this.nextLeadAttempt = Date.now() + this.settings.relayIntervalMs;
    return this.leading;
  }

  /**
   * One confirmed batch; when it fails, one message at a time, so that an event the broker refuses for its content
   * goes to the dead-letter queue (`UNPUBLISHABLE`) instead of blocking the log. Throws when the broker fails.
   */
  private async publish(events: readonly LoggedEvent[]): Promise<void> {
    const messages = events
      .filter(({ event }) => publishesEventKind(this.settings, event.kind))
      .map(({ event, traceparent }) => eventMessage(this.exchange, event, traceparent));
    if (messages.length === 0) return;
    try {
      await this.transport.publish(messages);
    } catch {
      for (const message of messages) await this.publishOne(message);
    }
  }

  private async publishOne(message: OutgoingMessage): Promise<void> {
    const code = await publishOrDeadLetter(this.transport, message, this.settings);
    if (code !== undefined)
      this.logger.warn({ message: 'Workflow event cannot be published; dead-lettered', code, messageId: message.messageId });
  }
}
