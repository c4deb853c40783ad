import { ForbiddenException, HttpException, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { AbuseLimiter } from './abuse-limiter.js';
import { callerOf } from './caller.js';
import { comesFromSameSite } from './origin-check.js';

/**
 * The send API's share of the defences: a browser page of another site may not post to it, and
 * every accepted send is counted (public callers per IP, sender and site; keyed callers per key)
 * before anything is written. A refusal is a 429 problem with Retry-After.
 */
@Injectable()
export class ApiSendGuard {
  constructor(
    private readonly limiter: AbuseLimiter,
    private readonly registry: SiteRegistry,
  ) {}

  async admit(
    request: FastifyRequest,
    reply: FastifyReply,
    site: Site,
    send: { sender: { email: string }; recipients: readonly { email: string }[] },
  ): Promise<void> {
    const caller = callerOf(request);
    if (!caller.apiKey && !comesFromSameSite(request, this.registry)) {
      throw new ForbiddenException('Cross-site requests are not accepted.');
    }
    const refusal = await this.limiter.admitSend(
      caller,
      site.id,
      send.sender.email,
      send.recipients.map((r) => r.email),
    );
    if (!refusal) return;
    reply.header('Retry-After', String(refusal.retryAfterSeconds));
    throw new HttpException(
      refusal.scope === 'site'
        ? 'This site has reached its sending budget for today. Please try again later.'
        : 'Too many cards were sent from here in a short time. Please try again later.',
      429,
    );
  }
}
