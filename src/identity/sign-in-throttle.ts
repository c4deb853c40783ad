import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { IdentityConfig } from '../config/identity-config.js';

const HOUR = 3600;
/** How long an account's password stays refused after too many wrong ones. */
export const ACCOUNT_LOCK_SECONDS = 15 * 60;

export type ThrottleScope = 'client' | 'account' | 'address';

export interface Throttled {
  scope: ThrottleScope;
  retryAfterSeconds: number;
}

type Counter = 'client-failures' | 'account-failures' | 'client-emails' | 'address-emails';

/**
 * Guessing and flooding limits, each counted separately so one can never lock out the other's
 * victims: a client spraying one password over many accounts runs out of its own wrong guesses
 * (per client) long before any account is locked; a botnet guessing one account's password
 * locks only that account's password (per account), and its owner still signs in with an
 * emailed link, which this lock does not touch. Emails (sign-ups, links, resets) are counted
 * per asking client and per receiving address, so a sign-up flood stops at the client and no one
 * can bury an address in our mail. Counted in Redis, with an in-memory fallback per process.
 */
export class SignInThrottle {
  private readonly counters: Record<Counter, RateLimiterRedis>;

  constructor(redis: Redis, prefix: string, config: IdentityConfig) {
    const make = (name: Counter, points: number, duration: number): RateLimiterRedis =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:throttle:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
      });
    this.counters = {
      'client-failures': make('client-failures', config.clientFailuresPerHour, HOUR),
      'account-failures': make('account-failures', config.lockAfterFailures, ACCOUNT_LOCK_SECONDS),
      'client-emails': make('client-emails', config.emailsPerClientPerHour, HOUR),
      'address-emails': make('address-emails', config.emailsPerAddressPerHour, HOUR),
    };
  }

  /** Whether a password may be tried now for this account from this client. */
  async passwordRefusal(client: string, account: string): Promise<Throttled | null> {
    const [byClient, byAccount] = await Promise.all([
      this.spent('client-failures', client),
      this.spent('account-failures', account),
    ]);
    if (byClient !== null) return { scope: 'client', retryAfterSeconds: byClient };
    if (byAccount !== null) return { scope: 'account', retryAfterSeconds: byAccount };
    return null;
  }

  async passwordFailed(client: string, account: string): Promise<void> {
    await Promise.all([
      this.count('client-failures', client),
      this.count('account-failures', account),
    ]);
  }

  /** The right password clears the account's count: its owner is not punished for typos. */
  async passwordSucceeded(account: string): Promise<void> {
    await this.counters['account-failures'].delete(account).catch(() => undefined);
  }

  /** Counts one account email asked by `client` for `address`; a refusal when either is spent. */
  async admitEmail(client: string, address: string): Promise<Throttled | null> {
    const byClient = await this.count('client-emails', client);
    if (byClient !== null) return { scope: 'client', retryAfterSeconds: byClient };
    const byAddress = await this.count('address-emails', address);
    if (byAddress !== null) return { scope: 'address', retryAfterSeconds: byAddress };
    return null;
  }

  /** Seconds until the counter allows again, or null while it still allows. */
  private async spent(counter: Counter, key: string): Promise<number | null> {
    const limiter = this.counters[counter];
    const state = await limiter.get(key).catch(() => null);
    if (state === null || state.consumedPoints < limiter.points) return null;
    return secondsOf(state);
  }

  private async count(counter: Counter, key: string): Promise<number | null> {
    try {
      await this.counters[counter].consume(key);
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return secondsOf(refusal);
      // A store failure with its fallback failing too: counting is lost, the request goes on.
      return null;
    }
  }
}

function secondsOf(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
