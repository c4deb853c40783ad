import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { formatSiteDate } from '../rendering/format-date.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { messageStyleClass } from '../sites/message-styles.js';
import { siteFromDefinition } from '../sites/site-definition.js';
import { ConsoleAccess } from './console-access.js';
import { type EditableSite, PartnerConsole } from './partner-console.service.js';
import { PartnerPages } from './partner-pages.js';
import { PreviewSamples, SAMPLE_GREETING } from './preview-samples.js';

/**
 * A site's draft on the real page templates (home, a card), as visitors would see it once
 * published. Never cached; the draft's site object is used for this render only.
 */
@Controller('partner/sites')
export class PartnerPreviewController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: ConsoleAccess,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
    private readonly samples: PreviewSamples,
    private readonly renderer: PageRenderer,
    private readonly flags: FeatureFlags,
  ) {}

  /** The draft on the real home page template, as visitors would see it once published. */
  @Get(':id/preview')
  async preview(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    await this.renderPreview(req, reply, id, 'home');
  }

  /** The draft on the real card page, with the first card of its first occasion. */
  @Get(':id/preview/card')
  async previewCard(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ) {
    await this.renderPreview(req, reply, id, 'card');
  }

  /** The draft on the real pickup page, holding a made-up greeting already opened. */
  @Get(':id/preview/pickup')
  async previewPickup(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ) {
    await this.renderPreview(req, reply, id, 'pickup');
  }

  private async renderPreview(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    page: 'home' | 'card' | 'pickup',
  ): Promise<void> {
    const signedIn = await this.access.readingSite(req, reply, id);
    if (!signedIn) return;
    let site: EditableSite;
    try {
      site = await this.console.editable(signedIn.person, id);
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    const draft = siteFromDefinition(site.draft, this.config);
    const features = await this.flags.pageFeatures(draft);
    const occasions = await this.samples.occasionsOf(req, site.draft);
    let html: string;
    if (page === 'home') {
      html = this.renderer.render(draft, req, 'home', { occasions, featured: [], features });
    } else {
      const card = await this.samples.sampleCard(req, occasions);
      if (!card) return this.pages.notFound(reply);
      html =
        page === 'card'
          ? this.renderer.render(draft, req, 'card', { card, related: [], views: null, features })
          : this.renderer.render(draft, req, 'pickup', {
              card,
              greeting: {
                senderName: SAMPLE_GREETING.senderName,
                senderEmail: SAMPLE_GREETING.senderEmail,
                message: SAMPLE_GREETING.message,
                messageStyle: messageStyleClass(draft.messageStyles, null, null),
                sentAtText: formatSiteDate(draft, new Date()),
              },
              recipient: { name: SAMPLE_GREETING.recipientName, opened: true },
              // Opened already: the page shows no form to post.
              openAction: '#',
              openToken: '',
            });
    }
    await reply
      .header('Cache-Control', 'no-store')
      .header('X-Robots-Tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}
