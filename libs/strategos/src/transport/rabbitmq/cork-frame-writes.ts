import type { ChannelModel } from 'amqplib';
import { Writable } from 'node:stream';

/**
 * Makes the frames that amqplib writes in one turn of the event loop leave in one socket write. amqplib writes
 * each frame (a publish, an ack) to the socket separately, and its multiplexer drains the channels in a
 * synchronous loop: the first write of a turn corks the socket and the next tick uncorks it, so a batch of
 * publishes and acks becomes one `writev` instead of one syscall (and often one TCP segment) each. Order is kept:
 * corking only buffers. Does nothing when the connection's socket is not where amqplib keeps it (`connection.stream`).
 * @returns whether the socket was found and wrapped.
 */
export function corkFrameWrites(model: ChannelModel): boolean {
  const socket: unknown = (model.connection as unknown as { readonly stream?: unknown }).stream;
  if (!(socket instanceof Writable)) return false;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]): boolean => {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Writable['write'];
  return true;
}
