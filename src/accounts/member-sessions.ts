import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SessionCookie } from '../identity/session-cookie.js';
import { type PersonSession, SessionStore } from '../identity/session-store.js';
import { RedisService } from '../platform/redis/redis.service.js';
import type { Site } from '../sites/site.js';
import type { Member } from './member.entity.js';
import { MembersRepository } from './members.repository.js';

/** A signed-in browser and its member. */
export interface SignedIn {
  session: PersonSession;
  member: Member;
}

/**
 * Members' browser sessions: the identity module's store under the members' own prefix and
 * cookie. SameSite=Lax, not Strict: a member following a link from their mail (or another site)
 * to /account arrives signed in; every change still needs the session's own form token.
 */
@Injectable()
export class MemberSessions {
  private readonly store: SessionStore;
  private readonly cookie: SessionCookie;
  private readonly ttlSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    redis: RedisService,
    private readonly members: MembersRepository,
  ) {
    this.ttlSeconds = config.identity.sessionSeconds;
    this.store = new SessionStore(
      redis.client,
      `${config.delivery.queuePrefix}:member`,
      this.ttlSeconds,
    );
    this.cookie = new SessionCookie('ecard_member', config.publicUrl.scheme === 'https', 'Lax');
  }

  /** The request's live session on this site, or null. */
  find(request: FastifyRequest, site: Site): Promise<PersonSession | null> {
    return this.store.find(site.id, this.cookie.read(request.headers.cookie));
  }

  /** The session and its member, or null (signed out, or the account was deleted meanwhile). */
  async current(request: FastifyRequest, site: Site): Promise<SignedIn | null> {
    const session = await this.find(request, site);
    const member = session ? await this.members.findById(site.id, session.subjectId) : null;
    return session && member ? { session, member } : null;
  }

  /** The member signed in on this browser, or null. */
  async signedInMember(request: FastifyRequest, site: Site): Promise<Member | null> {
    // No cookie, no Redis round trip: most visitors are not members.
    if (this.cookie.read(request.headers.cookie) === null) return null;
    return (await this.current(request, site))?.member ?? null;
  }

  /** The session and member signed in on this browser, or null (no cookie: no Redis trip). */
  async signedIn(request: FastifyRequest, site: Site): Promise<SignedIn | null> {
    if (this.cookie.read(request.headers.cookie) === null) return null;
    return this.current(request, site);
  }

  /** A new session and the Set-Cookie header that hands it to the browser. */
  async start(site: Site, memberId: string): Promise<string> {
    const session = await this.store.start(site.id, memberId);
    return this.cookie.set(session.id, this.ttlSeconds);
  }

  end(session: PersonSession): Promise<void> {
    return this.store.end(session);
  }

  endAll(site: Site, memberId: string): Promise<number> {
    return this.store.endAll(site.id, memberId);
  }

  clearCookie(): string {
    return this.cookie.clear();
  }
}
