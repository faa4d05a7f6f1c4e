import { Logger } from '@nestjs/common';
import type { Socket } from 'node:net';
import { ConnectionSupervisor } from '../src/transport/rabbitmq/connection-supervisor';
import { rabbitmqUrl } from './support/services';

/** Node's record of `socket.setNoDelay` (it has no public getter). */
function noDelayOf(socket: Socket): unknown {
  const symbol = Object.getOwnPropertySymbols(socket).find((candidate) => candidate.description === 'kSetNoDelay');
  if (!symbol) throw new Error('this Node version does not record setNoDelay on the socket');
  return (socket as unknown as Record<symbol, unknown>)[symbol];
}

describe("the broker connection's socket", () => {
  it('sends small frames at once (Nagle off), on the first connection and after a reconnect', async () => {
    const supervisor = new ConnectionSupervisor(
      {
        url: await rabbitmqUrl(),
        connectionName: 'no-delay-test',
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        logger: new Logger('no-delay-test'),
      },
      async () => undefined,
    );
    try {
      await supervisor.start(10_000);
      const first = supervisor.connection!;
      expect(noDelayOf((first.connection as unknown as { stream: Socket }).stream)).toBe(true);

      (first.connection as unknown as { stream: Socket }).stream.destroy(new Error('cut by the test'));
      let second = supervisor.connection;
      for (let waited = 0; (second === undefined || second === first) && waited < 20_000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        second = supervisor.connection;
      }
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      expect(noDelayOf((second!.connection as unknown as { stream: Socket }).stream)).toBe(true);
    } finally {
      await supervisor.close();
    }
  }, 60_000);
});
