/** Thrown by the platform when it knows a store is away before even trying it. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(store: string) {
    super(`${store} is unreachable`);
    this.name = 'StoreUnavailableError';
  }
}

/** Error codes meaning "the server is not there", as opposed to "the query was wrong". */
const UNAVAILABLE_CODES = new Set([
  'STORE_UNAVAILABLE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

const UNAVAILABLE_MESSAGES = [
  /connection is not established/i,
  /connection is not yet established/i,
  /pool is closed/i,
  /timed out/i,
];

/**
 * Whether an error says a store (MariaDB, Redis) could not be reached, looking through the
 * wrappers TypeORM and the drivers put around it. Such errors mean "try again shortly" to a
 * user, never "something is wrong with what you sent".
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (typeof current !== 'object') return false;
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) {
      return true;
    }
    current = driverError ?? cause;
  }
  return false;
}

/** A unique key said no: the row (or one with the same natural key) is already there. */
export function isDuplicateKey(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as { code?: string; driverError?: { code?: string } };
  return code === 'ER_DUP_ENTRY' || driverError?.code === 'ER_DUP_ENTRY';
}

/**
 * MariaDB's "roll back and try again" answers: the transaction was chosen as a deadlock victim
 * (1213) or waited too long for a lock (1205). InnoDB says 1467 ("failed to read auto-increment
 * value") when the wait was for a table's AUTO-INC lock, which an `INSERT ... SELECT` takes
 * (report facts are recorded that way, in the transaction that sends): the same conflict under
 * another number, seen when thirty sends arrive at once. The transaction is rolled back as a
 * whole before it runs again, so running it again is safe.
 */
export function isLockConflict(error: unknown): boolean {
  const errno = mysqlErrno(error);
  return errno === 1213 || errno === 1205 || errno === AUTO_INCREMENT_LOCK_CONFLICT;
}

const AUTO_INCREMENT_LOCK_CONFLICT = 1467;

/** The server's error number, from a mysql2 error or TypeORM's QueryFailedError around one. */
export function mysqlErrno(error: unknown): number | undefined {
  const e = error as { errno?: number; driverError?: { errno?: number } } | null;
  return e?.driverError?.errno ?? e?.errno;
}

/**
 * Runs a transaction again when MariaDB picked it as a deadlock victim, as the server asks.
 * Under a holiday's mix of sends, first opens, relay rounds and delivery batches on the same
 * rows a deadlock is rare but certain; a visitor should never see it as an error page.
 */
export async function retryOnLockConflict<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
