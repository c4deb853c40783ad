import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A signed-in browser: who it is, on which site, and its forms' anti-forgery token. */
export interface PersonSession {
  /** The random id the cookie carries; Redis knows only its hash. */
  id: string;
  siteId: string;
  subjectId: string;
  csrf: string;
}

interface StoredSession {
  siteId: string;
  subjectId: string;
  csrf: string;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions of people (members, later partner staff) in Redis. The cookie holds a random id and
 * Redis only its hash, so a copy of Redis opens no session. Each person's sessions are listed
 * under the person, so "sign out everywhere" (and deleting the account, or a new password)
 * ends every one of them at once; the list expires with the newest session.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    /** `<queue prefix>:<kind>`, e.g. `ecard:member`: kinds never share a session. */
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  async start(siteId: string, subjectId: string): Promise<PersonSession> {
    const session = { id: randomToken(), siteId, subjectId, csrf: randomToken() };
    const stored: StoredSession = { siteId, subjectId, csrf: session.csrf };
    const key = this.sessionKey(session.id);
    const list = this.listKey(siteId, subjectId);
    await this.redis
      .multi()
      .set(key, JSON.stringify(stored), 'EX', this.ttlSeconds)
      .sadd(list, key)
      .expire(list, this.ttlSeconds)
      .exec();
    return session;
  }

  /** The live session of this id on this site, or null (none, expired, ended, Redis away). */
  async find(siteId: string, id: string | null): Promise<PersonSession | null> {
    if (id === null || !SESSION_ID.test(id)) return null;
    let raw: string | null;
    try {
      raw = await this.redis.get(this.sessionKey(id));
    } catch {
      return null;
    }
    if (raw === null) return null;
    const stored = JSON.parse(raw) as StoredSession;
    // A session is one site's: a cookie carried to another host signs no one in there.
    if (stored.siteId !== siteId) return null;
    return { id, ...stored };
  }

  async end(session: PersonSession): Promise<void> {
    const key = this.sessionKey(session.id);
    await this.redis
      .multi()
      .del(key)
      .srem(this.listKey(session.siteId, session.subjectId), key)
      .exec();
  }

  /** Ends every session of the person, on every browser. */
  async endAll(siteId: string, subjectId: string): Promise<number> {
    const list = this.listKey(siteId, subjectId);
    const keys = await this.redis.smembers(list);
    await this.redis
      .multi()
      .del(...keys, list)
      .exec();
    return keys.length;
  }

  private sessionKey(id: string): string {
    return `${this.prefix}:session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  private listKey(siteId: string, subjectId: string): string {
    return `${this.prefix}:sessions-of:${siteId}:${subjectId}`;
  }
}

/** Whether a posted anti-forgery field is the session's, compared in constant time. */
export function sessionCsrfMatches(session: { csrf: string } | null, posted: unknown): boolean {
  if (session === null || typeof posted !== 'string' || posted.length !== session.csrf.length) {
    return false;
  }
  return timingSafeEqual(Buffer.from(posted), Buffer.from(session.csrf));
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
