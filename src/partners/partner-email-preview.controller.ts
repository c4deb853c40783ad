import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EmailComposer } from '../delivery/email-composer.js';
import { framedEmailPolicy, PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import type { OutgoingMail } from '../platform/mail/outgoing-mail.js';
import { siteFromDefinition } from '../sites/site-definition.js';
import type { Site } from '../sites/site.js';
import { ConsoleAccess } from './console-access.js';
import { PartnerConsole } from './partner-console.service.js';
import { PartnerPages } from './partner-pages.js';
import type { ConsoleSignedIn } from './partner-sessions.js';
import { PreviewSamples, sampleDeliveryRecord } from './preview-samples.js';

/** A draft's greeting email, built by the composer the delivery worker sends with. */
interface DraftEmail {
  signedIn: ConsoleSignedIn;
  site: Site;
  mail: OutgoingMail;
}

/**
 * A draft's greeting email as a recipient would get it, with a made-up greeting: its headers
 * and plain text on a console page, its HTML framed from a second address that serves it under
 * a policy of its own (no scripts, no forms, framed by the console only). The page works
 * without the frame: it links the HTML too.
 */
@Controller('partner/sites')
export class PartnerEmailPreviewController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: ConsoleAccess,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
    private readonly samples: PreviewSamples,
    private readonly composer: EmailComposer,
  ) {}

  @Get(':id/preview/email')
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const email = await this.draftEmail(req, reply, id);
    if (!email) return;
    const { mail, site } = email;
    await this.pages.send(
      reply,
      req,
      'email-preview',
      {
        siteId: id,
        siteName: site.name,
        mail: {
          from: `${mail.from.name} <${mail.from.address}>`,
          to: `${mail.to.name} <${mail.to.address}>`,
          replyTo: mail.replyTo ?? null,
          subject: mail.subject,
          returnPath: mail.returnPath ?? mail.from.address,
          text: mail.text,
        },
      },
      200,
      email.signedIn,
    );
  }

  /** The HTML part alone, for the preview's frame (or opened on its own). */
  @Get(':id/preview/email/html')
  async html(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const email = await this.draftEmail(req, reply, id);
    if (!email) return;
    await reply
      .header('Content-Security-Policy', framedEmailPolicy(new URL(email.site.baseUrl).origin))
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY)
      .header('X-Robots-Tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(email.mail.html);
  }

  /** The draft's greeting email, or null once the browser has been answered. */
  private async draftEmail(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
  ): Promise<DraftEmail | null> {
    const signedIn = await this.access.readingSite(req, reply, id);
    if (!signedIn) return null;
    let draft: Site;
    try {
      const editable = await this.console.editable(signedIn.person, id);
      draft = siteFromDefinition(editable.draft, this.config);
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
      return null;
    }
    const occasions = await this.samples.occasionsOf(req, draft);
    const card = await this.samples.sampleCard(req, occasions);
    if (!card) {
      await this.pages.notFound(reply);
      return null;
    }
    const mail = this.composer.greeting(draft, sampleDeliveryRecord(draft, card));
    return { signedIn, site: draft, mail };
  }
}
