/** Counts a store reports for the metrics' observable gauges (read when a metric reader collects). */
export interface StoreGauges {
  /** Outbox rows not yet published and deleted. */
  readonly outboxBacklog: number;
  /** Age of the oldest outbox row in ms (0 when the outbox is empty). */
  readonly outboxOldestAgeMs: number;
  /** Per workflow: running instances, and those of them parked until a retry back-off is due. */
  readonly runs: readonly { readonly workflow: string; readonly running: number; readonly waiting: number }[];
}

/** A store that can report {@link StoreGauges} (both built-in stores can). */
export interface StoreGaugeSource {
  gauges(): Promise<StoreGauges>;
}

/** Whether `store` reports gauges. */
export function hasGauges(store: object): store is StoreGaugeSource {
  return typeof (store as Partial<StoreGaugeSource>).gauges === 'function';
}
