import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { privateReply } from '../http/security-headers.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import type { ViewModel } from '../rendering/site-views.js';
import type { Throttled } from '../identity/sign-in-throttle.js';
import { FormGuard } from '../security/form-guard.js';
import type { Site } from '../sites/site.js';
import { ACCOUNT_PATHS } from './account-paths.js';

/** The account pages' templates. */
export type AccountTemplate =
  | 'account'
  | 'account-sign-up'
  | 'account-sign-in'
  | 'account-forgot'
  | 'account-link'
  | 'account-reset'
  | 'account-notice'
  | 'account-history'
  | 'account-contacts'
  | 'account-contact'
  | 'account-contacts-import'
  | 'account-reminders'
  | 'reminders-unsubscribe';

/**
 * Renders an account page: personal, so never stored by any cache, and its address (which may
 * carry an emailed token) is never sent to another site as a referrer. Anonymous forms carry a
 * signed anti-forgery token of their own (there is no session yet to bind one to).
 */
@Injectable()
export class AccountPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly guard: FormGuard,
  ) {}

  async send(
    reply: FastifyReply,
    request: FastifyRequest,
    site: Site,
    template: AccountTemplate,
    model: ViewModel,
    status = 200,
  ): Promise<void> {
    const html = this.pages.render(site, request, template, {
      paths: ACCOUNT_PATHS,
      csrfToken: this.guard.token(site, 'account', template),
      ...model,
    });
    await privateReply(reply).code(status).type('text/html; charset=utf-8').send(html);
  }

  /** A form page as first served: nothing typed, nothing wrong. */
  blank(reply: FastifyReply, request: FastifyRequest, site: Site, template: AccountTemplate) {
    return this.send(reply, request, site, template, { form: { values: {}, errors: {} } });
  }

  /** The form again, with why nothing happened and when to try again. */
  async throttled(
    reply: FastifyReply,
    request: FastifyRequest,
    site: Site,
    template: AccountTemplate,
    values: Record<string, string>,
    throttled: Throttled,
  ): Promise<void> {
    reply.header('Retry-After', String(throttled.retryAfterSeconds));
    const refusal = throttledMessage(throttled.scope, throttled.retryAfterSeconds);
    const model = {
      form: { values, errors: {} },
      refusal,
      offerLink: throttled.scope === 'account',
    };
    await this.send(reply, request, site, template, model, 429);
  }

  /** An emailed link that was used, is too old, or was never ours. */
  expired(reply: FastifyReply, request: FastifyRequest, site: Site): Promise<void> {
    return this.send(reply, request, site, 'account-notice', EXPIRED, 410);
  }

  /** Throws a 403 unless a form of `template` posted this from one of the site's own pages. */
  verify(request: FastifyRequest, site: Site, template: AccountTemplate, body: unknown): void {
    this.guard.verify(request, site, 'account', template, fieldsOf(body)._csrf);
  }
}

const EXPIRED = {
  title: 'This link has expired',
  message:
    'The link was used already, or is too old. Ask for a new one: it arrives in a minute or two.',
  next: { href: ACCOUNT_PATHS.signIn, text: 'Sign in or ask for a new link' },
};

export function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** What a throttled person reads: when to try again, and what still works meanwhile. */
function throttledMessage(scope: 'client' | 'account' | 'address', seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const wait = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  switch (scope) {
    case 'account':
      return `Too many wrong passwords for this account. Try the password again in ${wait}, or sign in with an emailed link now.`;
    case 'client':
      return `Too many attempts from your connection. Please try again in ${wait}.`;
    case 'address':
      return `We have already sent several emails to this address. Please check your inbox, or try again in ${wait}.`;
  }
}

/** Hands the browser its new session and sends it to the account page. */
export async function signedIn(reply: FastifyReply, sessionCookie: string): Promise<void> {
  await reply
    .code(303)
    .header('Set-Cookie', sessionCookie)
    .header('Location', ACCOUNT_PATHS.home)
    .send();
}
