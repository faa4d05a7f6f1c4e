import type { LoggerService } from '@nestjs/common';
import type { ConfirmChannel, Message } from 'amqplib';
import type { PublishRequest } from './publish-request';
import { RabbitMqTransportError } from './rabbitmq-transport.error';

type Verdict = 'confirmed' | 'refused' | 'unroutable' | 'lost';

/** What became of a batch on one channel. */
export interface PublishOutcome {
  /** Messages whose confirm never came because the channel went down with its connection: publish again. */
  readonly lost: readonly PublishRequest[];
  /** Set when the broker refused messages or closed the channel over them: publishing again would not help. */
  readonly failure?: RabbitMqTransportError;
}

/**
 * One confirm channel and the bookkeeping around it: whether it is open, why the broker closed it,
 * which mandatory messages it returned as unroutable, and who waits for its write buffer to drain.
 */
export class PublisherChannel {
  private closed = false;
  private closing = false;
  private brokerError: Error | undefined;
  private readonly returned = new Map<string, number>();
  private readonly drainWaiters = new Set<() => void>();

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly logger: LoggerService,
  ) {
    // Before amqplib fails the pending confirm callbacks on close, so that they can tell a loss from a nack.
    channel.prependListener('close', () => {
      this.closed = true;
      this.releaseDrainWaiters();
    });
    channel.on('error', (error: Error) => {
      this.brokerError = error;
      this.logger.warn({ message: 'RabbitMQ closed the publishing channel', error: error.message });
    });
    channel.on('return', (message: Message) => this.recordReturn(message));
    channel.on('drain', () => this.releaseDrainWaiters());
  }

  get isOpen(): boolean {
    return !this.closed && !this.closing;
  }

  /** Publishes every request and resolves once each one is confirmed, refused or lost; never rejects. */
  publishAll(requests: readonly PublishRequest[]): Promise<PublishOutcome> {
    return new Promise((resolve) => {
      const verdicts = new Array<Verdict | undefined>(requests.length);
      let outstanding = requests.length;
      let next = 0;
      let encodingError: unknown;
      const settle = (index: number, verdict: Verdict): void => {
        // amqplib may also fail a callback it registered before a synchronous throw: the first verdict stands.
        if (verdicts[index] !== undefined) return;
        verdicts[index] = verdict;
        if (--outstanding === 0) resolve(this.outcome(requests, verdicts, encodingError));
      };
      const onConfirm = (index: number) => (error: unknown) => {
        if (error === null || error === undefined) settle(index, this.takeReturn(requests[index]) ? 'unroutable' : 'confirmed');
        else settle(index, this.closed || this.closing ? 'lost' : 'refused');
      };
      const pump = (): void => {
        while (next < requests.length) {
          const index = next++;
          if (!this.isOpen) {
            settle(index, 'lost');
            continue;
          }
          const request = requests[index];
          let writable: boolean;
          try {
            writable = this.channel.publish(request.exchange, request.routingKey, request.content, request.options, onConfirm(index));
          } catch (error) {
            // On an open channel the registered-but-unsent confirm callback desynchronises the confirms: close it.
            if (this.isOpen) {
              encodingError = error;
              void this.close();
              settle(index, 'refused');
            } else settle(index, 'lost');
            continue;
          }
          if (!writable) {
            this.drainWaiters.add(pump);
            return;
          }
        }
      };
      if (requests.length === 0) resolve({ lost: [] });
      else pump();
    });
  }

  async close(): Promise<void> {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.releaseDrainWaiters();
    await this.channel.close().catch(() => undefined);
  }

  private outcome(requests: readonly PublishRequest[], verdicts: readonly (Verdict | undefined)[], encodingError: unknown): PublishOutcome {
    const having = (verdict: Verdict): PublishRequest[] => requests.filter((_request, index) => verdicts[index] === verdict);
    const lost = having('lost');
    const refused = having('refused');
    const unroutable = having('unroutable');
    if (encodingError !== undefined) {
      return { lost, failure: new RabbitMqTransportError('PUBLISH_FAILED', 'A message could not be encoded for RabbitMQ; check its headers', { cause: encodingError }) };
    }
    if (refused.length > 0) {
      return { lost, failure: new RabbitMqTransportError('PUBLISH_NACKED', `RabbitMQ refused ${refused.length} message(s) (first: ${describe(refused[0])}); publish them again later`) };
    }
    if (unroutable.length > 0) {
      const queues = [...new Set(unroutable.map((request) => request.routingKey))].join(', ');
      return {
        lost,
        failure: new RabbitMqTransportError('MESSAGE_UNROUTABLE', `No queue ${queues} for ${unroutable.length} command(s); declare it (is the workflow in this process's topology?)`),
      };
    }
    if (lost.length > 0 && this.brokerError) {
      return { lost, failure: new RabbitMqTransportError('PUBLISH_FAILED', `RabbitMQ closed the publishing channel: ${this.brokerError.message}`, { cause: this.brokerError }) };
    }
    return { lost };
  }

  private recordReturn(message: Message): void {
    const messageId: unknown = message.properties.messageId;
    if (typeof messageId === 'string') this.returned.set(messageId, (this.returned.get(messageId) ?? 0) + 1);
  }

  /** Whether the broker returned this (mandatory) message before confirming it: it reached no queue. */
  private takeReturn(request: PublishRequest): boolean {
    const messageId = request.options.messageId;
    if (!request.options.mandatory || messageId === undefined) return false;
    const count = this.returned.get(messageId) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.returned.delete(messageId);
    else this.returned.set(messageId, count - 1);
    return true;
  }

  private releaseDrainWaiters(): void {
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}

function describe(request: PublishRequest): string {
  return `${request.options.type ?? 'message'} ${request.options.messageId ?? ''} to ${request.exchange || '(default exchange)'}/${request.routingKey}`;
}
