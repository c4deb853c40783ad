import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleAccess } from './console-access.js';
import { PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { PartnerSending } from './partner-sending.service.js';

/**
 * A site's email page: how its mail is authenticated (From domain, Return-Path domain), its
 * DKIM keys with the DNS record to publish for each, a new key made, and a published one
 * activated. Plain forms, post/redirect/get.
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
