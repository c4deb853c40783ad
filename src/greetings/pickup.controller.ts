import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatSiteDate } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { FormTokens } from '../security/form-tokens.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { GreetingsService } from './greetings.service.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import { RoutePolicy } from '../http/edge/route-policy.js';
import { NotFoundError } from '../common/domain-errors.js';
import { PHOTO_WIDTHS, type PhotoSize } from '../platform/photos/sender-photo-store.js';

/**
 * The photo's addresses on the card's pickup link: the smaller width, and the larger for
 * screens of twice the density. Densities, not widths: a photo smaller than a width is kept
 * at its own size, so a width descriptor would claim pixels it does not have.
 */
function photoUrls(
  token: string,
  size: PhotoSize,
): { src: string; srcset: string; width: number; height: number } {
  const [large, small] = PHOTO_WIDTHS;
  const url = (w: number) => `/p/${token}/photo/${w}`;
  return { src: url(small), srcset: `${url(small)} 1x, ${url(large)} 2x`, ...size };
}

/** The recipient's page. Personal: never cached, never indexed. */
@RoutePolicy({ rateLimit: 'private-link' })
@Controller('p')
export class PickupController {
  constructor(
    private readonly greetings: GreetingsService,
    private readonly pages: PageRenderer,
    private readonly forms: FormTokens,
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
        messageStyle: pickup.greeting.messageStyle,
        sentAtText: formatSiteDate(site, pickup.greeting.sentAt),
      },
      photo: pickup.greeting.photo ? photoUrls(token, pickup.greeting.photo) : null,
      recipient: pickup.recipient,
      openAction: `/p/${token}/opened`,
      openToken: this.forms.issue('pickup-open', site.id, token),
    });
  }

  /**
   * The sender's photo, only ever through the card's own pickup link: the same signature check
   * as the page, and the same privacy (never cached by anyone else, never indexed).
   */
  @Get(':token/photo/:width')
  async photo(
    @CurrentSite() site: Site,
    @Param('token') token: string,
    @Param('width') width: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const size = PHOTO_WIDTHS.find((w) => String(w) === width);
    if (size === undefined) throw new NotFoundError('pickup');
    const jpeg = await this.greetings.pickupPhoto(site, token, size);
    await reply
      .header('Cache-Control', 'private, no-store')
      .header('X-Robots-Tag', 'noindex')
      .header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .type('image/jpeg')
      .send(jpeg);
  }

  /**
   * The page's "opened" call (its script once the card is visible, or its button). The form
   * token proves the poster had this very page; `GreetingsService.recordOpen` decides whether it
   * counts. A script's call gets 204 when the open is on record, 202 when it did not count (the
   * email was not delivered yet); a button's press goes back to the card.
   */
  @Post(':token/opened')
  async opened(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('token') token: string,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const csrf =
      typeof body === 'object' && body !== null ? (body as { _csrf?: unknown })._csrf : '';
    if (fromAnotherSite(request) || !this.forms.check('pickup-open', site.id, token, csrf).ok) {
      throw new ForbiddenException('This can only be sent from the card page.');
    }
    const onRecord = await this.greetings.recordOpen(site, token);
    void reply.header('Cache-Control', 'private, no-store');
    if ((request.headers.accept ?? '').includes('application/json')) {
      await reply.code(onRecord ? 204 : 202).send();
      return;
    }
    await reply.code(303).header('Location', `/p/${token}`).send();
  }
}

/**
 * What a browser says about a post from another site. `Origin: null` is let through: the pickup
 * page's no-referrer policy makes a browser send it for the page's own button, and the form
 * token (bound to this pickup link) is what a forging page cannot have.
 */
function fromAnotherSite(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host.toLowerCase() !== (request.headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}
