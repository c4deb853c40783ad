import { ForbiddenException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { type FormPurpose, FormTokens } from './form-tokens.js';
import { comesFromSameSite } from './origin-check.js';

/** Anti-forgery for the small private forms (manage, unsubscribe): one call to issue, one to check. */
@Injectable()
export class FormGuard {
  constructor(
    private readonly tokens: FormTokens,
    private readonly registry: SiteRegistry,
  ) {}

  token(site: Site, purpose: Exclude<FormPurpose, 'challenge'>, binding: string): string {
    return this.tokens.issue(purpose, site.id, binding);
  }

  /** Throws 403 unless the request comes from this site's page with a valid token. */
  verify(
    request: FastifyRequest,
    site: Site,
    purpose: Exclude<FormPurpose, 'challenge'>,
    binding: string,
    token: unknown,
  ): void {
    if (!comesFromSameSite(request, this.registry)) {
      throw new ForbiddenException('This form can only be sent from its own page on this site.');
    }
    if (!this.tokens.check(purpose, site.id, binding, token).ok) {
      throw new ForbiddenException('This form has expired. Please open the link again.');
    }
  }

  /** Only the origin: for RFC 8058 one-click requests, which the signed URL authenticates. */
  verifyOrigin(request: FastifyRequest): void {
    if (!comesFromSameSite(request, this.registry)) {
      throw new ForbiddenException('This request can only come from this site.');
    }
  }
}
