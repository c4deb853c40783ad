import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { FormRefused, logFormRefusal } from './form-refusal.js';
import { type FormPurpose, FormTokens } from './form-tokens.js';
import { refusedAsCrossSite, requestSource } from './origin-check.js';

type PrivateFormPurpose = Extract<FormPurpose, 'manage' | 'unsubscribe' | 'account'>;

/**
 * Anti-forgery for the small private forms (manage, unsubscribe): one call to issue, one to
 * check. Their token is bound to the greeting or recipient, which only the holder of the
 * private link can name, so when the browser withholds the origin (`Origin: null`, as it does
 * under some referrer policies and privacy settings) the token alone decides; a browser's word
 * that another site sent the form always refuses it.
 */
@Injectable()
export class FormGuard {
  constructor(
    private readonly tokens: FormTokens,
    private readonly registry: SiteRegistry,
  ) {}

  token(site: Site, purpose: PrivateFormPurpose, binding: string): string {
    return this.tokens.issue(purpose, site.id, binding);
  }

  /** Throws a 403 saying why, and logs the reason, unless the form may change something. */
  verify(
    request: FastifyRequest,
    site: Site,
    purpose: PrivateFormPurpose,
    binding: string,
    token: unknown,
  ): void {
    const source = requestSource(request, this.registry);
    if (refusedAsCrossSite(source)) throw refuse(request, purpose, source);
    const check = this.tokens.check(purpose, site.id, binding, token);
    if (!check.ok) throw refuse(request, purpose, `token-${check.reason}`);
  }

  /**
   * Only the origin, for RFC 8058 one-click requests: mail providers post them with no token
   * and no Origin, the signed URL being their credential; a browser naming no page of ours or
   * another site's is refused.
   */
  verifyOrigin(request: FastifyRequest): void {
    const source = requestSource(request, this.registry);
    if (source === 'same-site' || source === 'unstated') return;
    throw refuse(request, 'one-click-unsubscribe', source);
  }
}

function refuse(
  request: FastifyRequest,
  form: Parameters<typeof logFormRefusal>[1],
  reason: FormRefused['reason'],
): FormRefused {
  logFormRefusal(request, form, reason);
  return new FormRefused(reason);
}
