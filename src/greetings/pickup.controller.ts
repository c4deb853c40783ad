import { Controller, Get, Header, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { formatSiteDate } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { GreetingsService } from './greetings.service.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';

/** The recipient's page. Personal: never cached, never indexed. */
@Controller('p')
export class PickupController {
  constructor(
    private readonly greetings: GreetingsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Robots-Tag', 'noindex')
  @Header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
  async open(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('token') token: string,
  ): Promise<string> {
    const pickup = await this.greetings.pickup(site, token);
    return this.pages.render(site, request, 'pickup', {
      card: pickup.card,
      greeting: {
        senderName: pickup.greeting.senderName,
        senderEmail: pickup.greeting.senderEmail,
        message: pickup.greeting.message,
        sentAtText: formatSiteDate(site, pickup.greeting.sentAt),
      },
      recipient: pickup.recipient,
    });
  }
}
