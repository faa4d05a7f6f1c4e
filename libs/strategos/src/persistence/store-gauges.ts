/** Counts a store reports for the metrics' observable gauges (read when a metric reader collects). */
export interface StoreGauges {
  /** Outbox rows not yet published and deleted. */
  readonly outboxBacklog: number;
  /** Age of the oldest outbox row in ms (0 when the outbox is empty). */
  readonly outboxOldestAgeMs: number;
  /** Per workflow: running instances, and those of them parked until a retry back-off is due. */
  readonly runs: readonly { readonly workflow: string; readonly running: number; readonly waiting: number }[];
}

/** Running instances at one position that have not moved for a while (stalled-run candidates for health checks). */
export interface IdlePosition {
  readonly workflow: string;
  readonly phase: string;
  readonly runs: number;
  /** The oldest last transition among them. */
  readonly since: Date;
}

/** A store that can report {@link StoreGauges} and idle positions (both built-in stores can). */
export interface StoreGaugeSource {
  gauges(): Promise<StoreGauges>;
  /** Running instances whose last transition is older than `olderThanMs`, grouped by workflow and phase. */
  idlePositions(olderThanMs: number): Promise<IdlePosition[]>;
}

/** Whether `store` reports gauges. */
export function hasGauges(store: object): store is StoreGaugeSource {
  return typeof (store as Partial<StoreGaugeSource>).gauges === 'function';
}
