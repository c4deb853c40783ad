import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SessionCookie } from '../identity/session-cookie.js';
import { type PersonSession, SessionStore } from '../identity/session-store.js';
import { RedisService } from '../platform/redis/redis.service.js';
import type { PartnerPerson } from './partner.entity.js';
import { PeopleRepository } from './people.repository.js';

/**
 * The console's realm where sites are expected (sessions, emailed tokens): not a valid site id,
 * so no member's token or session can ever be taken for a console person's.
 */
export const CONSOLE_REALM = '~partner-console';

/** Console sessions end after a working day, whatever happens meanwhile. */
const SESSION_SECONDS = 8 * 3600;

export interface ConsoleSignedIn {
  session: PersonSession;
  person: PartnerPerson;
}

/**
 * Console sessions: the identity module's store under their own prefix and cookie. Strict, not
 * Lax like members': nobody needs to arrive signed in from a link elsewhere, and the console can
 * change every site.
 */
@Injectable()
export class PartnerSessions {
  private readonly store: SessionStore;
  private readonly cookie: SessionCookie;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    redis: RedisService,
    private readonly people: PeopleRepository,
  ) {
    this.store = new SessionStore(
      redis.client,
      `${config.delivery.queuePrefix}:partner`,
      SESSION_SECONDS,
    );
    this.cookie = new SessionCookie('ecard_partner', config.publicUrl.scheme === 'https', 'Strict');
  }

  /** The request's live session and its person, or null. */
  async current(request: FastifyRequest): Promise<ConsoleSignedIn | null> {
    const session = await this.store.find(CONSOLE_REALM, this.cookie.read(request.headers.cookie));
    const person = session ? await this.people.findById(session.subjectId) : null;
    return session && person ? { session, person } : null;
  }

  /** A new session and the Set-Cookie header that hands it over. */
  async start(personId: string): Promise<string> {
    const session = await this.store.start(CONSOLE_REALM, personId);
    return this.cookie.set(session.id, SESSION_SECONDS);
  }

  end(session: PersonSession): Promise<void> {
    return this.store.end(session);
  }

  endAll(personId: string): Promise<number> {
    return this.store.endAll(CONSOLE_REALM, personId);
  }

  clearCookie(): string {
    return this.cookie.clear();
  }
}
