/**
 * What a failure says about the operation that met it:
 * - `transient`: the environment failed (connection lost or refused, pool exhausted, serialization failure,
 *   deadlock, server shutting down or starting). Nothing is wrong with the message: back off and retry.
 * - `data`: the store refused the data itself (PostgreSQL classes 22 "data exception", 54 "program limit exceeded" and 23 "integrity
 *   constraint violation", or a value the pre-check finds unstorable). Retrying cannot help: fail or dead-letter
 *   at once, with a code.
 * - `unknown`: anything else. Callers treat it as transient (an outage must never drop a message) but it is
 *   logged as unexpected.
 */
export type FailureKind = 'transient' | 'data' | 'unknown';

/** Node.js socket and DNS error codes, and transport codes, of a database or broker that cannot be reached. */
const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'COMMIT_BACKLOG_FULL',
  // The broker's transport (RabbitMQ, in memory): unreachable, connection or channel lost, message nacked.
  'TRANSPORT_UNAVAILABLE',
  'CONNECTION_LOST',
  'NOT_CONNECTED',
  'PUBLISH_NACKED',
  'PUBLISH_FAILED',
]);

/** SQLSTATEs (or their two-character classes) of failures of the environment, not of the statement's data. */
const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set([
  '08', // connection exception
  '53', // insufficient resources (too many connections, out of memory, disk full)
  '40001', // serialization failure
  '40P01', // deadlock detected
  '55P03', // lock not available
  '57014', // query canceled (statement timeout)
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now (starting up, recovering)
  '58000', // system error
  '58030', // I/O error
]);

/** SQLSTATE classes of data PostgreSQL refuses: the same statement with the same data always fails. */
const DATA_SQLSTATE_CLASSES: ReadonlySet<string> = new Set(['22', '23', '54']);

/** Messages of node-postgres errors that carry no code: the pool or connection failed, not the statement. */
const TRANSIENT_MESSAGES =
  /timeout exceeded when trying to connect|connection terminated|terminating connection|connection error|not queryable|cannot use a pool after calling end|client was closed|socket hang up/i;

/**
 * Classifies a failure of a store (or broker) operation; the one place where Strategos decides between
 * backing off and failing at once. Looks at `code` (a Node.js system code or a PostgreSQL SQLSTATE), the
 * `cause` chain, and as a last resort node-postgres's uncoded connection messages.
 */
export function classifyFailure(error: unknown): FailureKind {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const kind = kindOfCode((current as { code?: unknown }).code);
    if (kind) return kind;
    if (current instanceof AggregateError && current.errors.length > 0 && current.errors.every((e) => classifyFailure(e) === 'transient'))
      return 'transient';
    if (current instanceof Error && TRANSIENT_MESSAGES.test(current.message)) return 'transient';
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown';
}

/** The SQLSTATE of a PostgreSQL error, if `error` is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && isSqlState(code) && typeof (error as { severity?: unknown }).severity === 'string' ? code : undefined;
}

function kindOfCode(code: unknown): FailureKind | undefined {
  if (typeof code !== 'string') return undefined;
  if (code === 'STATE_NOT_STORABLE' || code === 'INVALID_INITIAL_STATE') return 'data';
  if (TRANSIENT_SYSTEM_CODES.has(code)) return 'transient';
  if (!isSqlState(code)) return undefined;
  const sqlClass = code.slice(0, 2);
  if (DATA_SQLSTATE_CLASSES.has(sqlClass)) return 'data';
  if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATES.has(sqlClass)) return 'transient';
  return undefined;
}

function isSqlState(code: string): boolean {
  return /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E');
}
