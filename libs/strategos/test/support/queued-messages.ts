import type * as amqp from 'amqplib';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the next message off `queue`, unacknowledged, waiting up to `timeoutMs` for one to arrive. */
export async function nextMessage(channel: amqp.Channel, queue: string, timeoutMs = 5_000): Promise<amqp.GetMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await channel.get(queue, { noAck: false });
    if (message) return message;
    if (Date.now() > deadline) throw new Error(`no message reached ${queue} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Resolves once `queue` has no message ready (all delivered to consumers), polling; rejects after `timeoutMs`. */
export async function whenDelivered(channel: amqp.Channel, queue: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await channel.checkQueue(queue)).messageCount > 0) {
    if (Date.now() > deadline) throw new Error(`${queue} still had messages ready after ${timeoutMs} ms`);
    await sleep(50);
  }
}
