import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { randomToken } from './session-store.js';

/** What an emailed link may do; a token of one purpose never does another's work. */
export type TokenPurpose = 'verify-email' | 'sign-in' | 'reset-password' | 'invite';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** How long each kind of emailed link works. */
export const TOKEN_TTL_SECONDS: Readonly<Record<TokenPurpose, number>> = {
  'verify-email': 3 * 86_400,
  'sign-in': 15 * 60,
  'reset-password': 30 * 60,
  /** A console invite: the invited person may not read their mail the same hour. */
  invite: 3 * 86_400,
};

/** Whom a redeemed token names. */
export interface TokenSubject {
  siteId: string;
  subjectId: string;
}

/**
 * One-time tokens for emailed links. Redis keeps only the token's hash, with the site and the
 * person it is for; deleting the key is what redeems it, and only one of two clicks at once (a
 * link forwarded and clicked twice) deletes it. Every email asks for a new token: an older
 * link keeps working until it is used or expires.
 */
export class OneTimeTokens {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async issue(purpose: TokenPurpose, subject: TokenSubject): Promise<string> {
    const token = randomToken();
    await this.redis.set(
      this.key(purpose, token),
      JSON.stringify(subject),
      'EX',
      TOKEN_TTL_SECONDS[purpose],
    );
    return token;
  }

  /** Whether the token is live, without using it up (the page that asks "sign in?" first). */
  async peek(purpose: TokenPurpose, siteId: string, token: unknown): Promise<TokenSubject | null> {
    if (typeof token !== 'string' || !TOKEN.test(token)) return null;
    return this.subjectOn(siteId, await this.redis.get(this.key(purpose, token)));
  }

  /** The token's subject, the token gone for good; null when unknown, used, expired or foreign. */
  async redeem(
    purpose: TokenPurpose,
    siteId: string,
    token: unknown,
  ): Promise<TokenSubject | null> {
    if (typeof token !== 'string' || !TOKEN.test(token)) return null;
    const key = this.key(purpose, token);
    const raw = await this.redis.get(key);
    const subject = this.subjectOn(siteId, raw);
    // Only the site the link was made for may use it up; a link opened on another host is inert.
    if (subject === null || (await this.redis.del(key)) !== 1) return null;
    return subject;
  }

  private subjectOn(siteId: string, raw: string | null): TokenSubject | null {
    if (raw === null) return null;
    const subject = JSON.parse(raw) as TokenSubject;
    return subject.siteId === siteId ? subject : null;
  }

  private key(purpose: TokenPurpose, token: string): string {
    return `${this.prefix}:token:${purpose}:${createHash('sha256').update(token).digest('base64url')}`;
  }
}
