/** One versioned change of the store's schema. Never edited once released: add a new one. */
export interface Migration {
  /** Applied in increasing order; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  /** The SQL that applies it, for the (validated) schema. */
  sql(schema: string): string;
}
