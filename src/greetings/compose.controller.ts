import { Body, Controller, Get, Header, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CardView } from '../catalog/catalog.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { IdempotencyConflict, NotFoundError } from '../common/domain-errors.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { visitorKeyOf } from '../flags/visitor-key.js';
import { formatSiteDate } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import {
  composeFormToRequest,
  type ComposeFormValues,
  emptyComposeForm,
  newFormKey,
  readComposeForm,
  toFormErrors,
} from './compose-form.js';
import { parseSendGreeting } from './dto/send-greeting.schema.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { GreetingsService } from './greetings.service.js';
import { timeZoneChoices } from './time-zone-choices.js';

const SLUG = /^[a-z0-9-]{1,120}$/;
const DEFAULT_SLOTS = 3;

/** The compose form and its confirmation page: personal pages, never cached. */
@Controller()
export class ComposeController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly greetings: GreetingsService,
    private readonly pages: PageRenderer,
    private readonly manage: GreetingManageService,
    private readonly flags: FeatureFlags,
  ) {}

  @Get('/cards/:slug/send')
  @Header('Cache-Control', 'private, no-store')
  async form(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
  ): Promise<void> {
    const card = await this.cardFor(site, slug);
    await this.show(reply, 200, site, request, card, emptyComposeForm(site.timeZone), {});
  }

  @Post('/cards/:slug/send')
  async submit(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<void> {
    const card = await this.cardFor(site, slug);
    const values = readComposeForm(body, site.timeZone);
    const action = (body as Record<string, unknown> | undefined)?.action;
    if (action === 'add-recipient') {
      const slots = Math.min(site.limits.maxRecipients, values.recipients.length + 1);
      await this.show(reply, 200, site, request, card, values, {}, slots);
      return;
    }
    const parsed = parseSendGreeting(
      composeFormToRequest(values, card.slug),
      site.limits,
      site.timeZone,
      new Date(),
    );
    const errors = parsed.ok ? toFormErrors([], values) : toFormErrors(parsed.errors, values);
    if (!parsed.ok || Object.keys(errors).length > 0) {
      await this.show(reply, 400, site, request, card, values, errors);
      return;
    }
    try {
      const sent = await this.greetings.send(site, parsed.command);
      await reply.code(303).header('Location', sent.confirmationPath).send();
    } catch (error) {
      if (!(error instanceof IdempotencyConflict)) throw error;
      const fresh = { ...values, idempotencyKey: newFormKey() };
      await this.show(reply, 409, site, request, card, fresh, {
        form: 'This form was already used to send a card. Press "Send card" again to send another.',
      });
    }
  }

  @Get('/sent/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @Header('Referrer-Policy', 'no-referrer')
  async confirmation(
    @CurrentSite() site: Site,
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Query('s') signature?: string,
  ): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(id) || typeof signature !== 'string') {
      throw new NotFoundError('greeting');
    }
    const sent = await this.greetings.sentGreeting(site, id, signature);
    const card = await this.greetings.cardOf(site, id);
    return this.pages.render(site, request, 'confirmation', {
      card,
      greeting: {
        id: sent.id,
        status: sent.status,
        scheduled: sent.sendAt !== null,
        sendAtText: sent.sendAt ? formatSiteDate(site, sent.sendAt, sent.timeZone) : null,
        recipients: sent.recipients,
        // Relative: the page is already on the site's host.
        manageUrl:
          sent.sendAt !== null && sent.status === 'scheduled'
            ? new URL(this.manage.manageUrl(site, sent.id)).pathname +
              new URL(this.manage.manageUrl(site, sent.id)).search
            : null,
      },
    });
  }

  private async cardFor(site: Site, slug: string): Promise<CardView> {
    if (!SLUG.test(slug)) throw new NotFoundError('card');
    return this.catalog.card(site, slug);
  }

  private async show(
    reply: FastifyReply,
    status: number,
    site: Site,
    request: FastifyRequest,
    card: CardView,
    values: ComposeFormValues,
    errors: Record<string, string>,
    slots?: number,
  ): Promise<void> {
    const recipientSlots = Math.min(
      site.limits.maxRecipients,
      Math.max(slots ?? 0, values.recipients.length, DEFAULT_SLOTS),
    );
    const html = this.pages.render(site, request, 'compose', {
      card,
      form: { values, errors },
      recipientSlots,
      timeZones: timeZoneChoices(site.timeZone),
      limits: site.limits,
      scheduling: await this.flags.isEnabled(site, 'scheduledSending', visitorKeyOf(request)),
    });
    await reply
      .code(status)
      .header('Cache-Control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
