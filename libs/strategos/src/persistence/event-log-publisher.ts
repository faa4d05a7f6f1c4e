import { Logger } from '@nestjs/common';
import { publishesEventKind, publishesNoEvents, type StrategosSettings } from '../config/strategos-settings';
import { eventMessage } from '../messages/event-message';
import { topologyNames } from '../messages/topology';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import type { EventLog, EventLogPosition, LoggedEvent } from './event-log.interface';
import { publishOrDeadLetter } from './unpublishable-message';

/**
 * How long a wake-up waits before reading the log, so that the commits of a few milliseconds share one read and
 * one confirmed batch (at moderate load a read per commit cost more than the events it found).
 */
const WAKE_DELAY_MS = 5;
/**
 * How often, at most, the durable cursor moves while events keep coming (and when they stop, at the next poll).
 * A takeover or a crash republishes what was published since the last move: at least once, as before.
 */
const CURSOR_MOVE_INTERVAL_MS = 100;

/**
 * Publishes workflow events from the store's event log, instead of an outbox row per event: one process per
 * namespace leads (the others stand by and take over when its database session ends), reads the events committed
 * after its durable cursor in the log's order (the order in which their transactions got their ids, up to the
 * oldest transaction still running, so that nothing committed out of that order is passed over), publishes them
 * in batches with confirms, then moves the cursor. Per workflow the order is kept: a run's next transition is
 * committed by a transaction that started after the previous one had committed, so it has a larger id.
 *
 * At least once: a crash between a publish and the cursor's move publishes those events again (consumers
 * deduplicate by `eventId` or `sequence`); the cursor moves at most every {@link CURSOR_MOVE_INTERVAL_MS} while
 * events keep coming. It runs shortly after local commits (`wake`, {@link WAKE_DELAY_MS}) and every
 * `events.pollIntervalMs` for the commits of other processes.
 */
export class EventLogPublisher {
  private readonly logger = new Logger(EventLogPublisher.name);
  private readonly exchange: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  /** Whether polls and wake-ups run (between `start` and `stop`). */
  private started = false;
  private leading = false;
  /** Where this leader stands; re-read from the store whenever the lead is (re)taken. */
  private cursor: EventLogPosition | undefined;
  /** The cursor as last stored (behind `cursor` until the next move). */
  private storedCursor: EventLogPosition | undefined;
  private lastCursorMove = 0;
  /** `events.kinds: []`: the log is not read, the cursor only follows its end (so that enabling kinds later starts there). */
  private readonly publishesNothing: boolean;
  /** When a standby may next try to take the lead. */
  private nextLeadAttempt = 0;

  constructor(
    private readonly log: EventLog,
    private readonly transport: Transport,
    private readonly settings: StrategosSettings,
  ) {
    this.exchange = topologyNames(settings.namespace).eventsExchange;
    this.publishesNothing = publishesNoEvents(settings);
  }

  start(): void {
    this.started = true;
    this.timer ??= setInterval(() => this.schedule(), this.settings.eventPollIntervalMs).unref();
    this.schedule();
  }

  /** After a local commit: publishes what the log holds within a few milliseconds (with `events.kinds: []`, nothing). */
  wake(): void {
    if (!this.publishesNothing) this.schedule();
  }

  private schedule(): void {
    if (!this.started || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      if (!this.started) return;
      if (this.running) {
        this.again = true;
        return;
      }
      this.running = this.drain().finally(() => (this.running = undefined));
    }, WAKE_DELAY_MS);
  }

  /** Publishes everything committed so far and stores the cursor (when this process leads); resolves when done. Never rejects. */
  async publishPending(): Promise<void> {
    while (this.running) await this.running;
    this.nextLeadAttempt = 0;
    this.running = this.drain(true).finally(() => (this.running = undefined));
    await this.running;
  }

  /** Stops polling, publishes what this process's commits left in the log (when leading), and gives up the lead. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    while (this.running) await this.running;
    if (this.leading) await this.publishAvailable(true);
    this.leading = false;
    await this.log.resign();
  }

  private async drain(storeCursor = false): Promise<void> {
    do {
      this.again = false;
      await this.publishAvailable(storeCursor);
    } while (this.again);
  }

  /** Publishes the events after the cursor; stores the cursor when `storeCursor`, when nothing is new, or every interval. */
  private async publishAvailable(storeCursor = false): Promise<void> {
    try {
      if (!(await this.lead())) return;
      const namespace = this.settings.namespace;
      if (!this.cursor) {
        this.cursor = await this.log.cursor(namespace);
        this.storedCursor = this.cursor;
      }
      if (this.publishesNothing) return await this.log.skipToEnd(namespace);
      for (;;) {
        const events = await this.log.readAfter(this.cursor, this.settings.eventBatchSize);
        if (events.length > 0) {
          await this.publish(events);
          this.cursor = events[events.length - 1].at;
        }
        if (storeCursor || events.length === 0 || Date.now() - this.lastCursorMove >= CURSOR_MOVE_INTERVAL_MS)
          await this.storeCursor(namespace);
        if (events.length < this.settings.eventBatchSize) return;
      }
    } catch (error) {
      // The session may be gone (and with it the lead): take it again and re-read the cursor next time.
      // Tried again after a relay interval (not at every poll) while the database or broker is away.
      this.leading = false;
      this.cursor = undefined;
      this.storedCursor = undefined;
      this.nextLeadAttempt = Date.now() + this.settings.relayIntervalMs;
      this.logger.warn({ message: 'Publishing events from the event log failed; retrying', error: (error as Error).message });
    }
  }

  /** Moves the durable cursor to where this leader stands, unless it is there already. */
  private async storeCursor(namespace: string): Promise<void> {
    const cursor = this.cursor!;
    this.lastCursorMove = Date.now();
    if (cursor === this.storedCursor) return;
    await this.log.advance(namespace, cursor);
    this.storedCursor = cursor;
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
