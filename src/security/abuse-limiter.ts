import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { BoundedMemoryLimiter } from './bounded-memory-limiter.js';
import { type Caller, networkOf } from './caller.js';
import { mailboxKey } from './mailbox.js';

const HOUR = 3600;
const DAY = 86_400;
const CHALLENGE_WINDOW = 600;

type LimitName =
  | 'ip-sends'
  | 'ip-recipients'
  | 'net-sends'
  | 'net-recipients'
  | 'client-share'
  | 'sender-sends'
  | 'sender-recipients'
  | 'site-sends'
  | 'site-recipients'
  | 'key-sends'
  | 'key-recipients'
  | 'pickup-misses'
  | 'admin-failures'
  | 'compose-attempts'
  | 'mailbox-emails';

/** Why a send was refused, and when the caller may try again. */
export interface Refusal {
  scope: 'ip' | 'sender' | 'site' | 'api-key' | 'mailbox';
  /** What the spent limit counts, and how many of them it allows in its window. */
  counts: 'sends' | 'recipients';
  allowed: number;
  retryAfterSeconds: number;
}

interface Step {
  name: LimitName;
  key: string;
  points: number;
}

/**
 * Every abuse limit, counted in Redis so all web processes share one count. Each Redis limiter
 * has an in-memory insurance limiter with the same limits: while Redis is away, each process
 * keeps counting on its own (looser across a cluster, never off) instead of failing sends, in
 * a store of capped size so a flood of made-up keys during the outage cannot grow the process.
 */
@Injectable()
export class AbuseLimiter {
  private readonly logger = new Logger('AbuseLimiter');
  private readonly limiters: Record<LimitName, RateLimiterRedis>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    const l = config.security.limits;
    const prefix = `${config.delivery.queuePrefix}:rl`;
    const make = (name: LimitName, points: number, duration: number): RateLimiterRedis =>
      new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${prefix}:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new BoundedMemoryLimiter({ keyPrefix: name, points, duration }),
      });
    this.limiters = {
      'ip-sends': make('ip-sends', l.ipSendsPerHour, HOUR),
      'ip-recipients': make('ip-recipients', l.ipRecipientsPerHour, HOUR),
      'net-sends': make('net-sends', l.ipSendsPerHour * NETWORK_FACTOR, HOUR),
      'net-recipients': make('net-recipients', l.ipRecipientsPerHour * NETWORK_FACTOR, HOUR),
      'client-share': make('client-share', clientShare(l), DAY),
      'sender-sends': make('sender-sends', l.senderSendsPerHour, HOUR),
      'sender-recipients': make('sender-recipients', l.senderRecipientsPerHour, HOUR),
      'site-sends': make('site-sends', l.siteSendsPerDay, DAY),
      'site-recipients': make('site-recipients', l.siteRecipientsPerDay, DAY),
      'key-sends': make('key-sends', l.apiKeySendsPerHour, HOUR),
      'key-recipients': make('key-recipients', l.apiKeyRecipientsPerHour, HOUR),
      'pickup-misses': make('pickup-misses', l.pickupMissesPerHour, HOUR),
      'admin-failures': make('admin-failures', l.adminFailuresPerHour, HOUR),
      'compose-attempts': make('compose-attempts', l.composeChallengeAfter, CHALLENGE_WINDOW),
      'mailbox-emails': make('mailbox-emails', l.mailboxEmailsPerHour, HOUR),
    };
  }

  /**
   * Counts one send of `recipients` recipients against every limit that applies to the caller,
   * all or nothing: when one limit refuses, what the others counted is given back. A verified
   * member sending as themselves has a budget of their own (MemberSendBudget) instead of the
   * per-client and per-sender limits, and stays within the site's and the recipients' limits.
   */
  async admitSend(
    caller: Caller,
    siteId: string,
    senderEmail: string,
    recipientEmails: readonly string[],
    verifiedMember = false,
  ): Promise<Refusal | null> {
    const recipients = recipientEmails.length;
    const siteSteps: Step[] = [
      { name: 'site-sends', key: siteId, points: 1 },
      { name: 'site-recipients', key: siteId, points: recipients },
    ];
    const senderSteps: Step[] = caller.apiKey
      ? [
          { name: 'key-sends', key: caller.apiKey, points: 1 },
          { name: 'key-recipients', key: caller.apiKey, points: recipients },
        ]
      : verifiedMember
        ? siteSteps
        : [
            { name: 'ip-sends', key: caller.ip, points: 1 },
            { name: 'ip-recipients', key: caller.ip, points: recipients },
            ...networkSteps(caller.ip, recipients),
            { name: 'sender-sends', key: mailboxKey(senderEmail), points: 1 },
            { name: 'sender-recipients', key: mailboxKey(senderEmail), points: recipients },
            ...siteSteps,
          ];
    return this.admitAll([...senderSteps, ...mailboxSteps(siteId, recipientEmails)], caller);
  }

  /**
   * Counts one notice to a sender ("your card was opened") as an email the sender caused: against
   * the sender's hourly recipients and the sender's mailbox. False when either is spent.
   */
  async admitSenderNotice(siteId: string, senderEmail: string): Promise<boolean> {
    const steps: Step[] = [
      { name: 'sender-recipients', key: mailboxKey(senderEmail), points: 1 },
      ...mailboxSteps(siteId, [senderEmail]),
    ];
    return (await this.admitAll(steps, { ip: '', apiKey: null })) === null;
  }

  private async admitAll(steps: Step[], caller: Caller): Promise<Refusal | null> {
    const counted: Step[] = [];
    for (const step of steps) {
      const refused = await this.consume(step);
      counted.push(step);
      if (refused !== null) {
        await Promise.all(counted.map((s) => this.give(s)));
        const scope = step.name.startsWith('key-')
          ? 'api-key'
          : (step.name.split('-')[0] as Refusal['scope']);
        this.logger.warn(
          `send refused by the ${step.name} limit${caller.apiKey ? ` (key ${caller.apiKey})` : ''}`,
        );
        return {
          scope,
          counts: step.name.endsWith('-sends') ? 'sends' : 'recipients',
          allowed: this.limiters[step.name].points,
          retryAfterSeconds: refused,
        };
      }
    }
    return null;
  }

  /** Seconds until this client may look up private links again, or null when it may now. */
  async pickupBlocked(ip: string): Promise<number | null> {
    return this.exhausted({ name: 'pickup-misses', key: ip, points: 0 });
  }

  async pickupMissed(ip: string): Promise<void> {
    await this.consume({ name: 'pickup-misses', key: ip, points: 1 });
  }

  async adminBlocked(ip: string): Promise<number | null> {
    return this.exhausted({ name: 'admin-failures', key: ip, points: 0 });
  }

  async adminFailed(ip: string): Promise<void> {
    await this.consume({ name: 'admin-failures', key: ip, points: 1 });
  }

  /** Counts a compose attempt; true once the client's attempts spike past the threshold. */
  async composeAttemptNeedsChallenge(ip: string): Promise<boolean> {
    return (await this.consume({ name: 'compose-attempts', key: ip, points: 1 })) !== null;
  }

  /**
   * Whether this client's next compose attempt will meet the challenge, counting nothing: the
   * browser asks before it posts, and does the work only then. When the count cannot be read,
   * yes (the work is harmless; a send refused for want of it is not).
   */
  async composeChallengeDue(ip: string): Promise<boolean> {
    const limiter = this.limiters['compose-attempts'];
    try {
      const state = await limiter.get(ip);
      return (state?.consumedPoints ?? 0) + 1 > limiter.points;
    } catch {
      return true;
    }
  }

  /** Null when admitted, else seconds until the window resets. */
  private async consume(step: Step): Promise<number | null> {
    try {
      await this.limiters[step.name].consume(step.key, step.points);
      return null;
    } catch (error) {
      if (error instanceof RateLimiterRes) return retryAfter(error.msBeforeNext);
      // Both Redis and the insurance limiter failed: refuse rather than let a flood through.
      this.logger.warn(`${step.name}: ${(error as Error).message}`);
      return 60;
    }
  }

  private async exhausted(step: Step): Promise<number | null> {
    const limiter = this.limiters[step.name];
    try {
      const state = await limiter.get(step.key);
      if (state && state.consumedPoints >= limiter.points) return retryAfter(state.msBeforeNext);
      return null;
    } catch {
      return null;
    }
  }

  private async give(step: Step): Promise<void> {
    try {
      await this.limiters[step.name].reward(step.key, step.points);
    } catch {
      // The window expires on its own; a lost refund only errs on the strict side.
    }
  }
}

function retryAfter(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** An IPv6 /48 may send this many times what one of its /64s may. */
const NETWORK_FACTOR = 4;

/**
 * The network's hourly counts (IPv6 only: an IPv4 client is its own network, already counted),
 * and its share of the site's day, so no one client spends the budget everybody shares.
 */
function networkSteps(clientKey: string, recipients: number): Step[] {
  const network = networkOf(clientKey);
  const share: Step = { name: 'client-share', key: network, points: recipients };
  if (network === clientKey) return [share];
  return [
    { name: 'net-sends', key: network, points: 1 },
    { name: 'net-recipients', key: network, points: recipients },
    share,
  ];
}

function clientShare(l: AppConfig['security']['limits']): number {
  return Math.max(1, Math.floor((l.siteRecipientsPerDay * l.clientSharePercent) / 100));
}

/**
 * One step per mailbox, whatever the spellings: two addresses of one mailbox in a send count
 * twice, as two emails would reach it.
 */
function mailboxSteps(siteId: string, emails: readonly string[]): Step[] {
  const points = new Map<string, number>();
  for (const email of emails) {
    const key = `${siteId}:${mailboxKey(email)}`;
    points.set(key, (points.get(key) ?? 0) + 1);
  }
  return [...points].map(([key, n]) => ({ name: 'mailbox-emails', key, points: n }));
}
