import { connect, type ChannelModel } from 'amqplib';
import type { Socket } from 'node:net';
import { coalesceSocketWrites } from '../src/transport/rabbitmq/coalesce-socket-writes';
import { rabbitmqUrl, uniqueName } from './support/services';

/** Counts the system-call-level writes of amqplib's socket (one `_write` per chunk, one `_writev` per corked batch). */
function countSocketWrites(model: ChannelModel): { readonly calls: number } {
  const socket = (model as unknown as { connection: { stream: Socket } }).connection.stream as Socket & {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  const counter = { calls: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = socket[method].bind(socket);
    socket[method] = (...args: unknown[]) => {
      counter.calls += 1;
      original(...args);
    };
  }
  return counter;
}

async function publishAndReadBack(coalesce: boolean, count: number): Promise<{ bodies: string[]; socketWrites: number; applied: boolean }> {
  const model = await connect(await rabbitmqUrl());
  model.on('error', () => undefined);
  const queue = uniqueName('coalesce');
  try {
    const applied = coalesce ? coalesceSocketWrites(model) : false;
    const channel = await model.createConfirmChannel();
    await channel.assertQueue(queue, { durable: false });
    const writes = countSocketWrites(model);
    const sent = Array.from({ length: count }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 300) }));
    for (const body of sent)
      channel.publish('', queue, Buffer.from(body), { messageId: body.slice(0, 12), headers: { 'x-n': body.length } });
    await channel.waitForConfirms();
    const socketWrites = writes.calls;
    const bodies: string[] = [];
    for (let got = await channel.get(queue, { noAck: true }); got; got = await channel.get(queue, { noAck: true })) {
      expect(got.properties.headers?.['x-n']).toBe(got.content.length);
      bodies.push(got.content.toString());
    }
    await channel.deleteQueue(queue);
    return { bodies, socketWrites, applied };
  } finally {
    await model.close().catch(() => undefined);
  }
}

describe('coalesceSocketWrites (real broker)', () => {
  it('applies to the installed amqplib and writes many publishes per socket write, every message intact and in order', async () => {
    const count = 600;
    const corked = await publishAndReadBack(true, count);
    expect(corked.applied).toBe(true);
    expect(corked.bodies).toEqual(Array.from({ length: count }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 300) })));
    // Without coalescing, each publish is a write of its own (checked below); corked, the muxer's passes batch them.
    expect(corked.socketWrites).toBeLessThan(count / 5);
    const plain = await publishAndReadBack(false, count);
    expect(plain.bodies).toHaveLength(count);
    expect(plain.socketWrites).toBeGreaterThanOrEqual(count);
  });

  it('does nothing on a connection without the muxer it knows', () => {
    expect(coalesceSocketWrites({} as ChannelModel)).toBe(false);
    expect(coalesceSocketWrites({ connection: { muxer: { _readIncoming: 'no' } } } as unknown as ChannelModel)).toBe(false);
  });
});
