import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SITE_KEY_SCOPES } from '../security/site-api-keys.js';
import { ConsoleAccess } from './console-access.js';
import { PartnerApiKeys, readKeyForm } from './partner-api-keys.service.js';
import { fieldsOf, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import type { ConsoleSignedIn } from './partner-sessions.js';

/**
 * A site's API keys: listed, made (the secret is on the answer to the post, never in an
 * address, and never shown again) and revoked.
 */
@Controller('partner/sites')
export class PartnerApiKeysController {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly keys: PartnerApiKeys,
    private readonly pages: PartnerPages,
  ) {}

  @Get(':id/keys')
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const signedIn = await this.access.readingSite(req, reply, id);
    if (!signedIn) return;
    try {
      await this.render(req, reply, signedIn, id, {});
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
    }
  }

  @Post(':id/keys')
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id);
    if (!signedIn) return;
    const parsed = readKeyForm(fieldsOf(body));
    try {
      if (!parsed.ok) {
        return await this.render(
          req,
          reply,
          signedIn,
          id,
          {
            form: { values: { name: parsed.name }, errors: parsed.errors },
            errors: parsed.errors,
          },
          400,
        );
      }
      const secret = await this.keys.create(signedIn.person, id, parsed.data);
      await this.render(req, reply, signedIn, id, { secret, createdName: parsed.data.name });
    } catch (error) {
      await this.access.refusal(error, req, reply, signedIn);
    }
  }

  @Post(':id/keys/:keyId/revoke')
  async revoke(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @Body() body: unknown,
  ) {
    const signedIn = await this.access.changingSite(req, reply, body, id, keyId);
    if (!signedIn) return;
    try {
      await this.keys.revoke(signedIn.person, id, keyId);
    } catch (error) {
      return this.access.refusal(error, req, reply, signedIn);
    }
    await seeOther(reply, `${CONSOLE_PATHS.sites}/${id}/keys?revoked=1`);
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    signedIn: ConsoleSignedIn,
    siteId: string,
    model: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const keys = await this.keys.list(signedIn.person, siteId);
    await this.pages.send(
      reply,
      req,
      'keys',
      {
        siteId,
        keys,
        scopes: SITE_KEY_SCOPES,
        form: { values: {}, errors: {} },
        query: req.query,
        ...model,
      },
      status,
      signedIn,
    );
  }
}
