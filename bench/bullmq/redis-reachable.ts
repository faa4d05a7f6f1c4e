import { connect } from 'node:net';

/** Whether a TCP connection to the Redis of `redisUrl` opens within `timeoutMs`. */
export function redisReachable(redisUrl: string, timeoutMs = 1_000): Promise<boolean> {
  const url = new URL(redisUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (reachable: boolean): void => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
