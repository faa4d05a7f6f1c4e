import type { WorkflowEvent } from '../engine/workflow-event';
import { resolveSettings } from '../nest/resolve-settings';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import type { EventLog, EventLogPosition, Leadership, LoggedEvent } from './event-log.interface';
import { EventLogPublisher } from './event-log-publisher';

/** An event log in memory: rows in publication order, one cursor, a leadership that tests hand out. */
class FakeEventLog implements EventLog {
  readonly rows: LoggedEvent[] = [];
  stored: EventLogPosition = { tx: '0', position: '0' };
  leader = true;
  held = false;
  readonly reads: EventLogPosition[] = [];

  append(count: number, workflowId = 'wf-1'): void {
    for (let i = 0; i < count; i++) {
      const position = String(this.rows.length + 1);
      const sequence = this.rows.filter((row) => row.event.workflowId === workflowId).length + 1;
      const event: WorkflowEvent = {
        eventId: `${workflowId}-${sequence}`,
        type: 'OrderPhaseChanged',
        kind: 'PhaseChanged',
        workflowId,
        workflowName: 'order',
        sequence,
        timestamp: '2026-12-06T00:00:00.000Z',
        data: { to: 'Pay' },
      };
      this.rows.push({ event, traceparent: null, at: { tx: position, position } });
    }
  }

  lead(): Promise<Leadership> {
    if (!this.leader) return Promise.resolve('standby');
    const leadership = this.held ? 'held' : 'acquired';
    this.held = true;
    return Promise.resolve(leadership);
  }

  cursor(): Promise<EventLogPosition> {
    return Promise.resolve(this.stored);
  }

  readAfter(after: EventLogPosition, limit: number): Promise<LoggedEvent[]> {
    this.reads.push(after);
    return Promise.resolve(this.rows.filter((row) => Number(row.at.position) > Number(after.position)).slice(0, limit));
  }

  advance(_namespace: string, to: EventLogPosition): Promise<void> {
    if (Number(to.position) > Number(this.stored.position)) this.stored = to;
    return Promise.resolve();
  }

  skipToEnd(namespace: string): Promise<void> {
    const last = this.rows.at(-1);
    return last ? this.advance(namespace, last.at) : Promise.resolve();
  }

  resign(): Promise<void> {
    this.held = false;
    return Promise.resolve();
  }
}

/** A transport that records confirmed batches and can refuse messages or fail. */
class FakeTransport implements Partial<Transport> {
  readonly batches: OutgoingMessage[][] = [];
  failWith: string | undefined;
  refuse = new Set<string>();

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.failWith) return Promise.reject(Object.assign(new Error('broker down'), { code: this.failWith }));
    const refused = messages.find((message) => this.refuse.has(message.messageId) && message.exchange !== 'unit.dead-letter');
    if (refused) return Promise.reject(Object.assign(new Error('too large'), { code: 'MESSAGE_TOO_LARGE' }));
    this.batches.push([...messages]);
    return Promise.resolve();
  }
}

describe('EventLogPublisher', () => {
  const settings = resolveSettings({ namespace: 'unit', events: { batchSize: 3 } });
  let log: FakeEventLog;
  let transport: FakeTransport;
  let publisher: EventLogPublisher;

  beforeEach(() => {
    log = new FakeEventLog();
    transport = new FakeTransport();
    publisher = new EventLogPublisher(log, transport as unknown as Transport, settings);
  });

  const published = (): string[] => transport.batches.flat().map((message) => message.messageId);
  /** A publisher of `log` through `transport` with these `events` options. */
  const publisherWith = (events: NonNullable<Parameters<typeof resolveSettings>[0]['events']>): EventLogPublisher =>
    new EventLogPublisher(log, transport as unknown as Transport, resolveSettings({ namespace: 'unit', events }));

  it('publishes the log in confirmed batches and moves the cursor after each', async () => {
    log.append(7);
    await publisher.publishPending();
    expect(transport.batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(published()).toEqual(log.rows.map((row) => row.event.eventId));
    expect(log.stored).toEqual({ tx: '7', position: '7' });
    const [first] = transport.batches[0];
    expect(first).toMatchObject({
      exchange: 'unit.events',
      routingKey: 'order.PhaseChanged',
      messageId: 'wf-1-1',
      type: 'OrderPhaseChanged',
    });
    expect(JSON.parse(first.body)).toEqual({ pattern: 'order.PhaseChanged', data: log.rows[0].event });
  });

  it('keeps the cursor when the broker fails, and publishes from it the next time', async () => {
    log.append(2);
    transport.failWith = 'CONNECTION_LOST';
    await publisher.publishPending();
    expect(published()).toEqual([]);
    expect(log.stored.position).toBe('0');
    transport.failWith = undefined;
    await publisher.publishPending();
    expect(published()).toEqual(['wf-1-1', 'wf-1-2']);
  });

  it('dead-letters an event the broker refuses for its content and goes on', async () => {
    log.append(3);
    transport.refuse.add('wf-1-2');
    await publisher.publishPending();
    const sent = transport.batches.flat();
    expect(sent.map((message) => [message.messageId, message.exchange])).toEqual([
      ['wf-1-1', 'unit.events'],
      ['wf-1-2', 'unit.dead-letter'],
      ['wf-1-3', 'unit.events'],
    ]);
    expect(sent[1].headers).toMatchObject({
      'x-strategos-dead-letter-code': 'UNPUBLISHABLE',
      'x-strategos-original-exchange': 'unit.events',
    });
    expect(log.stored.position).toBe('3');
  });

  it('publishes only the kinds of events.kinds, and moves the cursor past the others', async () => {
    const only = publisherWith({ kinds: ['Completed'] });
    log.append(2);
    const completed = { ...log.rows[1], event: { ...log.rows[1].event, kind: 'Completed' as const, type: 'OrderCompleted' } };
    log.rows[1] = completed;
    await only.publishPending();
    expect(published()).toEqual(['wf-1-2']);
    expect(log.stored.position).toBe('2');
  });

  it('reads nothing while another process leads, and starts from the stored cursor once it leads', async () => {
    log.append(4);
    log.leader = false;
    await publisher.publishPending();
    expect(log.reads).toEqual([]);
    // The other leader published the first two meanwhile.
    log.stored = { tx: '2', position: '2' };
    log.leader = true;
    await publisher.publishPending();
    expect(published()).toEqual(['wf-1-3', 'wf-1-4']);
  });

  describe('woken by commits', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
    afterEach(async () => {
      await publisher.stop();
      jest.useRealTimers();
    });

    /** Lets the timers due within `ms` fire, and the publishes they start settle. */
    async function elapse(ms: number): Promise<void> {
      await jest.advanceTimersByTimeAsync(ms);
    }

    it('reads the log once for the commits of a few milliseconds, then publishes them in one batch', async () => {
      const polling = publisherWith({ batchSize: 100, pollIntervalMs: 60_000 });
      publisher = polling;
      polling.start();
      await elapse(10);
      const readsAtStart = log.reads.length;
      for (let commit = 0; commit < 4; commit++) {
        log.append(2, `wf-${commit}`);
        polling.wake();
        await elapse(1);
      }
      await elapse(10);
      expect(log.reads.length - readsAtStart).toBe(1);
      expect(transport.batches.at(-1)).toHaveLength(8);
    });

    it('moves the stored cursor at most every 100 ms while events keep coming, and to the end once they stop', async () => {
      const polling = publisherWith({ batchSize: 100, pollIntervalMs: 50 });
      publisher = polling;
      const moves: string[] = [];
      const advance = log.advance.bind(log);
      log.advance = (namespace, to) => {
        moves.push(to.position);
        return advance(namespace, to);
      };
      polling.start();
      for (let commit = 0; commit < 40; commit++) {
        log.append(1, `wf-${commit}`);
        polling.wake();
        await elapse(10);
      }
      // 40 commits over 400 ms, each read publishing what it found: a handful of moves, not one per read.
      expect(published()).toHaveLength(40);
      expect(moves.length).toBeGreaterThanOrEqual(2);
      expect(moves.length).toBeLessThanOrEqual(6);
      await elapse(200);
      expect(log.stored.position).toBe('40');
    });
  });

  it('with events.kinds [] reads no event: each poll moves the cursor to the end of the log, commits wake nothing', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      const silent = publisherWith({ kinds: [], pollIntervalMs: 50 });
      silent.start();
      await jest.advanceTimersByTimeAsync(10);
      log.append(5);
      silent.wake();
      await jest.advanceTimersByTimeAsync(10);
      expect(log.stored.position).toBe('0');
      await jest.advanceTimersByTimeAsync(50);
      expect(log.stored.position).toBe('5');
      expect(log.reads).toEqual([]);
      expect(published()).toEqual([]);
      await silent.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
