import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleRefusal } from './console-refusal.js';
import { type ConsoleTemplate, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import type { ConsoleSignedIn } from './partner-sessions.js';
import { SITE_ID_PATTERN } from '../sites/site.schema.js';

/** A key's id (API keys, DKIM keys): a UUID. */
const KEY_ID = /^[0-9a-f-]{36}$/;
import { PartnerSessions } from './partner-sessions.js';

/**
 * The door every signed-in console page goes through: the admin host only, a live session, and
 * for a change the session's form token from one of our pages. Each handler then answers with
 * its page; a refusal from the rules is a page too, with the status saying why.
 */
@Injectable()
export class ConsoleAccess {
  constructor(
    private readonly pages: PartnerPages,
    private readonly sessions: PartnerSessions,
  ) {}

  /** The signed-in person, or null once the browser has been answered (404, or to sign in). */
  async reading(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleSignedIn | null> {
    if (!this.pages.onAdminHost(req)) {
      await this.pages.notFound(reply);
      return null;
    }
    const signedIn = await this.sessions.current(req);
    if (!signedIn) await seeOther(reply, CONSOLE_PATHS.signIn);
    return signedIn;
  }

  /**
   * As `reading`, for a page about one site (and one of its keys): an id that cannot be one is
   * a 404 before anything is looked up.
   */
  async readingSite(
    req: FastifyRequest,
    reply: FastifyReply,
    siteId: string,
    keyId?: string,
  ): Promise<ConsoleSignedIn | null> {
    const signedIn = await this.reading(req, reply);
    return signedIn && (await this.knownShape(reply, siteId, keyId)) ? signedIn : null;
  }

  /** As `changing`, for a change to one site (and one of its keys). */
  async changingSite(
    req: FastifyRequest,
    reply: FastifyReply,
    body: unknown,
    siteId: string,
    keyId?: string,
  ): Promise<ConsoleSignedIn | null> {
    const signedIn = await this.changing(req, reply, body);
    return signedIn && (await this.knownShape(reply, siteId, keyId)) ? signedIn : null;
  }

  /** As `reading`, and the post must carry the session's token from one of our pages. */
  async changing(
    req: FastifyRequest,
    reply: FastifyReply,
    body: unknown,
  ): Promise<ConsoleSignedIn | null> {
    if (!this.pages.onAdminHost(req)) {
      await this.pages.notFound(reply);
      return null;
    }
    const signedIn = await this.sessions.current(req);
    if (!signedIn) {
      await this.pages.refused(reply, req);
      return null;
    }
    if (!this.pages.sessionFormOk(req, signedIn, body)) {
      await this.pages.refused(reply, req, signedIn);
      return null;
    }
    return signedIn;
  }

  private async knownShape(reply: FastifyReply, siteId: string, keyId?: string): Promise<boolean> {
    if (SITE_ID_PATTERN.test(siteId) && (keyId === undefined || KEY_ID.test(keyId))) return true;
    await this.pages.notFound(reply);
    return false;
  }

  /** A rule's or the data's refusal as a page; anything else is not ours to answer. */
  async refusal(
    error: unknown,
    req: FastifyRequest,
    reply: FastifyReply,
    signedIn: ConsoleSignedIn,
    template: ConsoleTemplate = 'notice',
    model: Record<string, unknown> = {},
  ): Promise<void> {
    if (!(error instanceof ConsoleRefusal)) throw error;
    const errors: Record<string, string> = {};
    for (const p of error.problems) errors[p.field] ??= p.message;
    const page = error.status === 403 || error.status === 404 ? 'notice' : template;
    await this.pages.send(
      reply,
      req,
      page,
      {
        title: error.status === 404 ? 'Not found' : 'Nothing was changed',
        message: error.problems.map((p) => p.message).join('. '),
        ...model,
        errors,
      },
      error.status,
      signedIn,
    );
  }
}
