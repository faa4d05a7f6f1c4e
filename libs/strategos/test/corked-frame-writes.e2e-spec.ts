import { connect, type ChannelModel } from 'amqplib';
import type { Socket } from 'node:net';
import { corkFrameWrites } from '../src/transport/rabbitmq/cork-frame-writes';
import { rabbitmqUrl, uniqueName } from './support/services';

const MESSAGES = 2_000;

/** Counts the writes that reach the socket's handle (one `_write` or `_writev` per syscall batch). */
function countHandleWrites(socket: Socket): () => number {
  let writes = 0;
  const counted = socket as unknown as {
    _write: (...args: unknown[]) => void;
    _writev?: (...args: unknown[]) => void;
  };
  const write = counted._write.bind(socket);
  counted._write = (...args: unknown[]) => {
    writes += 1;
    write(...args);
  };
  const writev = counted._writev?.bind(socket);
  if (writev)
    counted._writev = (...args: unknown[]) => {
      writes += 1;
      writev(...args);
    };
  return () => writes;
}

describe('corked frame writes', () => {
  let model: ChannelModel;

  beforeAll(async () => {
    model = await connect(await rabbitmqUrl());
    model.on('error', () => undefined);
  });

  afterAll(async () => {
    await model.close().catch(() => undefined);
  });

  it('sends a batch of publishes in few socket writes, in order, with every confirm', async () => {
    expect(corkFrameWrites(model)).toBe(true);
    const socket = (model.connection as unknown as { stream: Socket }).stream;
    const handleWrites = countHandleWrites(socket);
    const channel = await model.createConfirmChannel();
    const queue = uniqueName('corked');
    await channel.assertQueue(queue, { exclusive: true });

    const before = handleWrites();
    const confirms = Array.from(
      { length: MESSAGES },
      (_, index) =>
        new Promise<void>((resolve, reject) =>
          channel.sendToQueue(queue, Buffer.from(String(index)), {}, (error: unknown) => (error ? reject(error) : resolve())),
        ),
    );
    await Promise.all(confirms);
    const publishWrites = handleWrites() - before;

    const received: number[] = [];
    await new Promise<void>((resolve) => {
      void channel.consume(queue, (message) => {
        if (!message) return;
        received.push(Number(message.content.toString()));
        channel.ack(message);
        if (received.length === MESSAGES) resolve();
      });
    });
    await channel.close();

    expect(received).toEqual(Array.from({ length: MESSAGES }, (_, index) => index));
    // Uncorked, amqplib's multiplexer writes each publish to the socket on its own.
    expect(publishWrites).toBeLessThan(MESSAGES / 10);
  });
});
