import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy for one test's connections to a server (RabbitMQ, PostgreSQL) that can freeze: bytes stop flowing both
 * ways while the connections stay open, as on a stalled network. When either side closes, the other is closed too.
 */
export class FreezableProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private frozen = false;

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Listens on a free local port and forwards to `host:port`. */
  static async start(host: string, port: number): Promise<FreezableProxy> {
    const proxy = new FreezableProxy(host, port);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy.listeningPort = address.port;
    return proxy;
  }

  /** The local port to connect to instead of the server's. */
  get port(): number {
    return this.listeningPort;
  }

  /** Stops every byte in both directions (new connections too). */
  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, this.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    if (this.frozen) {
      client.pause();
      return;
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
