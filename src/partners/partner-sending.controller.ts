import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleAccess } from './console-access.js';
import { readForm } from './partner-forms.js';
import { fieldsOf, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { PartnerSending } from './partner-sending.service.js';

/**
 * A site's email page: how its mail is authenticated (From domain, Return-Path domain), its
 * DKIM keys with the DNS record to publish for each, a new key made, and a published one
 * activated; the bounce domain set in the draft. Plain forms, post/redirect/get.
 */
@Controller('partner/sites')
export class PartnerSendingController {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly sending: PartnerSending,
    private readonly pages: PartnerPages,
  ) {}

  @Get(':id/email')
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const signedIn = await this.access.readingSite(req, reply, id);
    if (!signedIn) return;
    try {
      const view = await this.sending.view(signedIn.person, id);
      await this.pages.send(reply, req, 'sending', { ...view, query: req.query }, 200, signedIn);
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
    }
  }

  /** The bounce domain into the draft; a refused one is the page again with why. */
  @Post(':id/email/bounce-domain')
  async setBounceDomain(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    const parsed = readForm('bounceDomain', fieldsOf(body));
    let saved: boolean;
    try {
      if (!parsed.ok) {
        const view = await this.sending.view(signedIn.person, id);
        const model = { ...view, bounceForm: parsed.form, query: {} };
        return await this.pages.send(reply, req, 'sending', model, 400, signedIn);
      }
      saved = await this.sending.setBounceDomain(signedIn.person, id, parsed.data.bounceDomain);
    } catch (error) {
      const view = await this.sending.view(signedIn.person, id).catch(() => null);
      const typed = { values: parsed.ok ? parsed.data : {}, errors: {} };
      const model = view ? { ...view, bounceForm: typed, query: {} } : {};
      return this.access.refusal(error, req, reply, signedIn, 'sending', model);
    }
    const outcome = saved ? 'drafted' : 'unchanged';
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}/email?bounce=${outcome}#bounce-domain`);
  }

  @Post(':id/email/keys')
  async generate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    let selector: string;
    try {
      selector = (await this.sending.generate(signedIn.person, id)).selector;
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}/email?made=${selector}#key-${selector}`);
  }

  @Post(':id/email/keys/:keyId/activate')
  async activate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id, keyId);
    if (!signedIn) return;
    try {
      await this.sending.activate(signedIn.person, id, keyId);
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}/email?activated=1`);
  }
}
