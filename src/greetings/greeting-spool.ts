import { Injectable, Logger } from '@nestjs/common';
import { isDuplicateKey, isStoreUnavailable } from '../common/store-errors.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { GreetingsRepository, type NewGreeting } from './greetings.repository.js';

const QUEUE = 'spool:greetings';
const recordKey = (greetingId: string) => `spool:greeting:${greetingId}`;
const idempotencyKey = (siteId: string, key: string) => `spool:idem:${siteId}:${key}`;
/** A spooled greeting waits at most this long for the primary before its key is dropped. */
const KEEP_SECONDS = 14 * 24 * 3600;

const DATE_FIELDS = new Set([
  'createdAt',
  'updatedAt',
  'sendAt',
  'statusChangedAt',
  'deliveredAt',
  'openedAt',
  'remindedAt',
  'availableAt',
  'dispatchedAt',
]);

/**
 * Where a send goes while the primary database is unreachable: the complete greeting, with
 * the ids and tokens it was given, kept in Redis (AOF, no eviction) and written to MariaDB
 * exactly once when the primary is back. The greeting's primary key makes a second write of
 * the same record a no-op, so a drainer that dies half way, or two drainers, lose and double
 * nothing.
 */
@Injectable()
export class GreetingSpool {
  private readonly logger = new Logger('GreetingSpool');

  constructor(
    private readonly redis: RedisService,
    private readonly greetings: GreetingsRepository,
  ) {}

  /**
   * Keeps the greeting. With an idempotency key, a greeting already spooled under it is
   * returned instead (the caller compares it with what was asked).
   */
  async accept(record: NewGreeting): Promise<{ record: NewGreeting; replayed: boolean }> {
    const { greeting } = record;
    const client = this.redis.client;
    if (greeting.idempotencyKey) {
      const claimed = await client.set(
        idempotencyKey(greeting.siteId, greeting.idempotencyKey),
        greeting.id,
        'EX',
        KEEP_SECONDS,
        'NX',
      );
      if (claimed === null) {
        const earlier = await this.find(greeting.siteId, greeting.idempotencyKey);
        if (earlier) return { record: earlier, replayed: true };
      }
    }
    await client
      .multi()
      .set(recordKey(greeting.id), JSON.stringify(record), 'EX', KEEP_SECONDS)
      .rpush(QUEUE, greeting.id)
      .exec();
    return { record, replayed: false };
  }

  /** A spooled greeting under this idempotency key, or null (also when Redis is away). */
  async find(siteId: string, key: string): Promise<NewGreeting | null> {
    try {
      const id = await this.redis.client.get(idempotencyKey(siteId, key));
      if (!id) return null;
      const raw = await this.redis.client.get(recordKey(id));
      return raw ? parseRecord(raw) : null;
    } catch {
      return null;
    }
  }

  async size(): Promise<number> {
    return this.redis.client.llen(QUEUE);
  }

  /** Writes up to `max` spooled greetings to MariaDB; returns how many left the spool. */
  async drain(max = 100): Promise<number> {
    const client = this.redis.client;
    const ids = await client.lrange(QUEUE, 0, max - 1);
    let done = 0;
    for (const id of ids) {
      const raw = await client.get(recordKey(id));
      if (raw) {
        const record = parseRecord(raw);
        try {
          await this.greetings.insert(record);
        } catch (error) {
          if (isStoreUnavailable(error)) break;
          if (!isDuplicateKey(error)) throw error;
          // Already written (an earlier drain got that far), or the same idempotency key
          // reached the primary first: either way the database holds the greeting.
          this.logger.warn(`spooled greeting ${id} was already in the database`);
        }
        if (record.greeting.idempotencyKey) {
          await client.del(idempotencyKey(record.greeting.siteId, record.greeting.idempotencyKey));
        }
      }
      await client.multi().lrem(QUEUE, 1, id).del(recordKey(id)).exec();
      done++;
    }
    return done;
  }
}

function parseRecord(raw: string): NewGreeting {
  return JSON.parse(raw, (key, value: unknown) =>
    DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value,
  ) as NewGreeting;
}
