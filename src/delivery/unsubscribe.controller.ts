import { Body, Controller, Get, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/domain-errors.js';
import type { DeliveryRecord } from '../greetings/recipient-lifecycle.service.js';
import { RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import { SignedLinks } from '../greetings/signed-links.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { FormGuard } from '../security/form-guard.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import { RoutePolicy, UNSUBSCRIBE_BODY_LIMIT } from '../http/edge/route-policy.js';

/**
 * The unsubscribe link of every email to a recipient, and of every notice to a sender. GET shows a confirm button (link
 * scanners fetch URLs in mail, and must not unsubscribe anyone); POST suppresses the address,
 * which is also what RFC 8058 one-click requests from mail providers do.
 */
@RoutePolicy({ rateLimit: 'private-link' })
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly links: SignedLinks,
    private readonly lifecycle: RecipientLifecycle,
    private readonly suppressions: SuppressionsRepository,
    private readonly pages: PageRenderer,
    private readonly forms: FormGuard,
  ) {}

  @RoutePolicy({ bodyLimit: UNSUBSCRIBE_BODY_LIMIT })
  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async confirm(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('token') token: string,
  ): Promise<string> {
    const { recipientEmail: email } = await this.recordOf(site, token);
    return this.pages.render(site, request, 'unsubscribe', {
      email,
      done: false,
      action: `/unsubscribe/${token}`,
      csrfToken: this.forms.token(site, 'unsubscribe', token),
    });
  }

  @RoutePolicy({ bodyLimit: UNSUBSCRIBE_BODY_LIMIT })
  @Post(':token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async unsubscribe(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('token') token: string,
    @Body() body?: Record<string, unknown>,
  ): Promise<string> {
    const { recipientId, recipientEmail: email } = await this.recordOf(site, token);
    this.verifyPost(request, site, token, body);
    await this.suppressions.add(email, 'unsubscribed', site.id);
    await this.lifecycle.unsubscribed(recipientId);
    return this.pages.render(site, request, 'unsubscribe', { email, done: true });
  }

  @Get('sender/:greetingId/:mac')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async confirmSender(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('greetingId') greetingId: string,
    @Param('mac') mac: string,
  ): Promise<string> {
    const email = await this.senderEmailOf(site, greetingId, mac);
    return this.pages.render(site, request, 'unsubscribe', {
      email,
      done: false,
      action: `/unsubscribe/sender/${greetingId}/${mac}`,
      csrfToken: this.forms.token(site, 'unsubscribe', `sender:${greetingId}`),
    });
  }

  /** A sender notice's link: the sender's address stops getting anything from the platform. */
  @Post('sender/:greetingId/:mac')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async unsubscribeSender(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('greetingId') greetingId: string,
    @Param('mac') mac: string,
    @Body() body?: Record<string, unknown>,
  ): Promise<string> {
    const email = await this.senderEmailOf(site, greetingId, mac);
    this.verifyPost(request, site, `sender:${greetingId}`, body);
    await this.suppressions.add(email, 'unsubscribed', site.id);
    return this.pages.render(site, request, 'unsubscribe', { email, done: true });
  }

  /**
   * RFC 8058 one-click requests come from mail providers without a form token: the signed URL
   * is their credential. The confirm button of our own page carries a token bound to `binding`.
   */
  private verifyPost(
    request: FastifyRequest,
    site: Site,
    binding: string,
    body: Record<string, unknown> | undefined,
  ): void {
    if (body?.['List-Unsubscribe'] === 'One-Click') this.forms.verifyOrigin(request);
    else this.forms.verify(request, site, 'unsubscribe', binding, body?._csrf);
  }

  private async senderEmailOf(site: Site, greetingId: string, mac: string): Promise<string> {
    if (!this.links.verify('sender-unsubscribe', greetingId, mac)) throw new NotFoundError('page');
    const greeting = await this.lifecycle.scheduledGreeting(greetingId);
    if (!greeting || greeting.siteId !== site.id || greeting.senderEmail === '') {
      throw new NotFoundError('page');
    }
    return greeting.senderEmail;
  }

  private async recordOf(site: Site, token: string): Promise<DeliveryRecord> {
    const recipientId = this.links.recipientOfToken('unsubscribe', token);
    const record = recipientId ? await this.lifecycle.record(recipientId) : null;
    if (!record || record.siteId !== site.id) throw new NotFoundError('page');
    return record;
  }
}
