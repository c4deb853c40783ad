import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import { sessionCsrfMatches } from '../identity/session-store.js';
import type { Throttled } from '../identity/sign-in-throttle.js';
import type { ViewModel } from '../rendering/site-views.js';
import { SiteViews } from '../rendering/site-views.js';
import { FormTokens } from '../security/form-tokens.js';
import { refusedAsCrossSite, requestSource } from '../security/origin-check.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { ConsoleSignedIn } from './partner-sessions.js';
import { CONSOLE_PATHS } from './partner-paths.js';

/** The console's page templates, under views/partner/. */
export type ConsoleTemplate =
  | 'sign-in'
  | 'forgot'
  | 'set-password'
  | 'notice'
  | 'home'
  | 'totp'
  | 'audit'
  | 'site'
  | 'keys'
  | 'sending'
  | 'email-preview'
  | 'reports';

/**
 * Renders console pages: the platform's own templates (never a site's), private, never cached,
 * and their addresses (which may carry an emailed token) never sent to another site. Forms
 * before sign-in carry a signed token of their own; forms after carry the session's.
 */
@Injectable()
export class PartnerPages {
  constructor(
    private readonly views: SiteViews,
    private readonly forms: FormTokens,
    private readonly registry: SiteRegistry,
  ) {}

  /** Whether the request came to the admin host; anywhere else the console does not exist. */
  onAdminHost(request: FastifyRequest): boolean {
    return request.site?.allowAdmin === true;
  }

  async send(
    reply: FastifyReply,
    request: FastifyRequest,
    template: ConsoleTemplate,
    model: ViewModel,
    status = 200,
    signedIn: ConsoleSignedIn | null = null,
  ): Promise<void> {
    const html = this.views.renderNeutral(`partner/${template}.njk`, {
      paths: CONSOLE_PATHS,
      csrf: signedIn ? signedIn.session.csrf : this.formToken(request, template),
      me: signedIn?.person ?? null,
      ...model,
    });
    await reply
      .code(status)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
      .header('X-Robots-Tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  /** The form again with why nothing happened and when to try again. */
  throttled(
    reply: FastifyReply,
    request: FastifyRequest,
    template: ConsoleTemplate,
    values: Record<string, string>,
    throttled: Throttled,
  ): Promise<void> {
    reply.header('Retry-After', String(throttled.retryAfterSeconds));
    const minutes = Math.max(1, Math.ceil(throttled.retryAfterSeconds / 60));
    const refusal =
      throttled.scope === 'address'
        ? `Several emails went to this address already. Check your inbox, or try again in ${minutes} minute(s).`
        : `Too many attempts. Try again in ${minutes} minute(s).`;
    return this.send(reply, request, template, { form: { values, errors: {} }, refusal }, 429);
  }

  /** An anonymous form (sign-in, reset) posted from one of our pages, with our token. */
  anonymousFormOk(request: FastifyRequest, template: ConsoleTemplate, body: unknown): boolean {
    if (refusedAsCrossSite(requestSource(request, this.registry))) return false;
    const siteId = request.site?.id ?? '';
    return this.forms.check('partner', siteId, template, fieldsOf(body)._csrf).ok;
  }

  /** A signed-in form: the session's own token, from one of our pages. */
  sessionFormOk(request: FastifyRequest, signedIn: ConsoleSignedIn, body: unknown): boolean {
    if (refusedAsCrossSite(requestSource(request, this.registry))) return false;
    return sessionCsrfMatches(signedIn.session, fieldsOf(body)._csrf);
  }

  /** A refused post: a page saying nothing changed, and where to go. */
  refused(reply: FastifyReply, request: FastifyRequest, signedIn: ConsoleSignedIn | null = null) {
    return this.send(
      reply,
      request,
      'notice',
      {
        title: 'Nothing was changed',
        message:
          'This form has expired or was not sent from the console, so nothing was changed. Open the page again and use its form.',
      },
      403,
      signedIn,
    );
  }

  /** Not the admin host, or nothing at this address: the ordinary 404. */
  async notFound(reply: FastifyReply): Promise<void> {
    await reply
      .code(404)
      .header('Cache-Control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send('Not found');
  }

  private formToken(request: FastifyRequest, template: ConsoleTemplate): string {
    return this.forms.issue('partner', request.site?.id ?? '', template);
  }
}

export function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** Sends the browser elsewhere after a change (post/redirect/get). */
export async function seeOther(reply: FastifyReply, location: string, cookie?: string) {
  if (cookie) reply.header('Set-Cookie', cookie);
  await reply.code(303).header('Location', location).header('Cache-Control', 'no-store').send();
}
