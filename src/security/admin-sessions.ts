import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { cookieValue } from '../identity/session-cookie.js';
import { randomToken, sessionCsrfMatches } from '../identity/session-store.js';
import { RedisService } from '../platform/redis/redis.service.js';

/** How long a browser stays signed in to the admin pages, whatever it does meanwhile. */
export const ADMIN_SESSION_SECONDS = 8 * 3600;

/** A signed-in admin browser: the session's id (the cookie) and its pages' anti-forgery token. */
export interface AdminSession {
  id: string;
  csrf: string;
}

/**
 * Admin browser sessions in Redis, so the master admin token is typed once and never travels
 * again (no Basic login resent with every request, no token in a page). The cookie holds a random
 * id; Redis keys hold only its hash, so a copy of Redis opens no session. Sign-out deletes the
 * key, and every session ends after a fixed time.
 */
@Injectable()
export class AdminSessions {
  private readonly prefix: string;
  readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisService,
  ) {
    this.prefix = `${config.delivery.queuePrefix}:admin-session:`;
    this.secure = config.publicUrl.scheme === 'https';
    // `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/,
    // so no sibling subdomain can plant or widen it; browsers only allow it over https.
    this.cookieName = this.secure ? '__Host-ecard_admin' : 'ecard_admin';
  }

  async start(): Promise<AdminSession> {
    const session = { id: randomToken(), csrf: randomToken() };
    await this.redis.client.set(this.key(session.id), session.csrf, 'EX', ADMIN_SESSION_SECONDS);
    return session;
  }

  /** The live session a Cookie header names, or null (none, expired, signed out, Redis away). */
  async find(cookieHeader: string | undefined): Promise<AdminSession | null> {
    const id = cookieValue(cookieHeader, this.cookieName);
    if (id === null || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    try {
      const csrf = await this.redis.client.get(this.key(id));
      return csrf ? { id, csrf } : null;
    } catch {
      return null;
    }
  }

  async end(session: AdminSession): Promise<void> {
    await this.redis.client.del(this.key(session.id));
  }

  setCookie(session: AdminSession): string {
    return this.cookie(session.id, ADMIN_SESSION_SECONDS);
  }

  clearCookie(): string {
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.secure ? '; Secure' : '';
    return `${this.cookieName}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Strict${secure}`;
  }

  private key(id: string): string {
    return this.prefix + createHash('sha256').update(id).digest('base64url');
  }
}

/** Whether a posted anti-forgery field is the session's, compared in constant time. */
export const sessionTokenMatches: (session: AdminSession | null, posted: unknown) => boolean =
  sessionCsrfMatches;
