import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCsrfMatches } from '../identity/session-store.js';
import { FormRefused, logFormRefusal } from '../security/form-refusal.js';
import { refusedAsCrossSite, requestSource } from '../security/origin-check.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { fieldsOf } from './account-pages.js';
import { ACCOUNT_PATHS } from './account-paths.js';
import { MemberSessions, type SignedIn } from './member-sessions.js';

/**
 * The signed-in member's pages and forms beyond the account page (address book, reminders):
 * a page needs a session, a change also the session's own token and a page of this site as
 * its origin, exactly as the account page's forms.
 */
@Injectable()
export class MemberForms {
  constructor(
    private readonly sessions: MemberSessions,
    private readonly registry: SiteRegistry,
  ) {}

  /** The member, or null after sending a signed-out visitor to sign in. */
  async page(req: FastifyRequest, reply: FastifyReply, site: Site): Promise<SignedIn | null> {
    const current = await this.sessions.current(req, site);
    if (!current) await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
    return current;
  }

  /** Like `page`, for a post: refused (403) from another site or without the session's token. */
  async change(
    req: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    body: unknown,
  ): Promise<SignedIn | null> {
    const source = requestSource(req, this.registry);
    if (refusedAsCrossSite(source)) {
      logFormRefusal(req, 'account', source);
      throw new FormRefused(source);
    }
    const current = await this.sessions.current(req, site);
    if (current && !sessionCsrfMatches(current.session, fieldsOf(body)._csrf)) {
      logFormRefusal(req, 'account', 'token-invalid');
      throw new FormRefused('token-invalid');
    }
    if (!current) await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
    return current;
  }
}

/** Back to a page after a change, as a form without JavaScript expects. */
export async function seeOther(reply: FastifyReply, location: string): Promise<void> {
  await reply.code(303).header('Location', location).send();
}
