import type { PublishRequest } from './publish-request';

/** What became of one message of a batch. */
export type PublishVerdict = 'confirmed' | 'refused' | 'unroutable' | 'lost' | 'stalled';

/**
 * The bookkeeping of one batch on one confirm channel: a verdict per message (the first one stands, as
 * amqplib may report a message twice when a channel breaks), and a stall timer that gives up on the
 * messages still unconfirmed when the broker stops confirming (e.g. a connection blocked by a resource alarm).
 */
export class PublishBatch {
  /** Resolves once every message has its verdict. */
  readonly settled: Promise<void>;
  private readonly verdicts: (PublishVerdict | undefined)[];
  private outstanding: number;
  private readonly timer: NodeJS.Timeout;
  private resolveSettled: () => void = () => undefined;

  constructor(
    readonly requests: readonly PublishRequest[],
    stallTimeoutMs: number,
    private readonly onStall: () => void,
  ) {
    this.verdicts = new Array<PublishVerdict | undefined>(requests.length);
    this.outstanding = requests.length;
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    this.timer = setTimeout(() => this.stall(), stallTimeoutMs);
    if (this.outstanding === 0) this.finish();
  }

  get finished(): boolean {
    return this.outstanding === 0;
  }

  settle(index: number, verdict: PublishVerdict): void {
    if (this.verdicts[index] !== undefined) return;
    this.verdicts[index] = verdict;
    this.timer.refresh();
    if (--this.outstanding === 0) this.finish();
  }

  /** Gives every message still without a verdict this one (its channel closed: no confirm can come). */
  settleRemaining(verdict: PublishVerdict): void {
    for (let index = 0; index < this.verdicts.length && !this.finished; index++) this.settle(index, verdict);
  }

  /** The requests with this verdict. */
  having(verdict: PublishVerdict): PublishRequest[] {
    return this.requests.filter((_request, index) => this.verdicts[index] === verdict);
  }

  private stall(): void {
    if (this.finished) return;
    for (let index = 0; index < this.verdicts.length; index++) this.verdicts[index] ??= 'stalled';
    this.outstanding = 0;
    this.onStall();
    this.finish();
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.resolveSettled();
  }
}
