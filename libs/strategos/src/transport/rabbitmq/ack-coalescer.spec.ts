import type { Message } from 'amqplib';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AckCoalescer, type AckChannel } from './ack-coalescer';

/** The frames a channel was asked to send, as `ack 5`, `ack 5 allUpTo`, `nack 2 requeue`. */
class RecordingChannel implements AckChannel {
  readonly frames: string[] = [];
  closed = false;

  ack(message: Message, allUpTo?: boolean): void {
    this.send(`ack ${message.fields.deliveryTag}${allUpTo ? ' allUpTo' : ''}`);
  }

  nack(message: Message, allUpTo?: boolean, requeue?: boolean): void {
    this.send(`nack ${message.fields.deliveryTag}${allUpTo ? ' allUpTo' : ''}${requeue ? ' requeue' : ''}`);
  }

  private send(frame: string): void {
    if (this.closed) throw new Error('Channel closed');
    this.frames.push(frame);
  }
}

function deliveries(count: number): Message[] {
  return Array.from({ length: count }, (_unused, index) => ({
    fields: { deliveryTag: index + 1, redelivered: false, exchange: '', routingKey: 'q' },
    properties: { messageId: `m${index + 1}` },
    content: Buffer.from('{}'),
  })) as unknown as Message[];
}

describe('AckCoalescer', () => {
  let channel: RecordingChannel;
  let unsent: Message[];
  let acks: AckCoalescer;
  let messages: Message[];

  beforeEach(() => {
    channel = new RecordingChannel();
    unsent = [];
    acks = new AckCoalescer(channel, (messages) => unsent.push(...messages));
    messages = deliveries(6);
    for (const message of messages) acks.delivered(message);
  });

  const ack = (...tags: number[]): void => tags.forEach((tag) => acks.ack(messages[tag - 1]));

  it('sends the acks of one turn of the event loop as one allUpTo ack, at the next turn', async () => {
    ack(1, 2, 3);
    expect(channel.frames).toEqual([]);
    await nextTurn();
    expect(channel.frames).toEqual(['ack 3 allUpTo']);
    expect(acks.pending).toBe(0);
  });

  it('sends a plain ack for a run of one message', () => {
    ack(1);
    acks.flush();
    expect(channel.frames).toEqual(['ack 1']);
  });

  it('acks messages behind a message still being handled one by one, without waiting for it', () => {
    ack(3, 2, 5);
    acks.flush();
    expect(channel.frames).toEqual(['ack 3', 'ack 2', 'ack 5']);
    ack(1, 4);
    acks.flush();
    expect(channel.frames.slice(3)).toEqual(['ack 4 allUpTo']); // 1 and 4 are all that is left below 6
  });

  it('ends the allUpTo run before the first message still being handled', () => {
    ack(1, 2, 4, 5);
    acks.flush();
    expect(channel.frames).toEqual(['ack 2 allUpTo', 'ack 4', 'ack 5']);
  });

  it('requeues at once and lets a later allUpTo ack span the requeued tag, which the broker no longer holds', () => {
    ack(1);
    acks.requeue(messages[1]);
    ack(3, 4);
    acks.flush();
    expect(channel.frames).toEqual(['nack 2 requeue', 'ack 4 allUpTo']);
  });

  it('never lets an allUpTo ack cover a message still being handled after a requeue', () => {
    acks.requeue(messages[1]);
    ack(3, 4);
    acks.flush();
    expect(channel.frames).toEqual(['nack 2 requeue', 'ack 3', 'ack 4']);
  });

  it('ignores a second ack of a message and an ack of a requeued one', () => {
    ack(1);
    acks.flush();
    ack(1);
    acks.requeue(messages[1]);
    acks.ack(messages[1]);
    acks.flush();
    expect(channel.frames).toEqual(['ack 1', 'nack 2 requeue']);
  });

  it('drops the pending acks when the channel closed, and reports them as unsent', () => {
    ack(1, 2);
    channel.closed = true;
    acks.flush();
    expect(unsent.map((message) => message.fields.deliveryTag)).toEqual([1, 2]);
    ack(3);
    acks.flush();
    expect(unsent.map((message) => message.fields.deliveryTag)).toEqual([1, 2, 3]);
    expect(channel.frames).toEqual([]);
  });

  it('sends nothing after it was discarded', async () => {
    ack(1);
    acks.discard();
    ack(2);
    await nextTurn();
    expect(channel.frames).toEqual([]);
    expect(unsent.map((message) => message.fields.deliveryTag)).toEqual([2]);
  });
});
