import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { AccountPages, fieldsOf, signedIn } from './account-pages.js';
import { ACCOUNT_PATHS } from './account-paths.js';
import { AccountsService } from './accounts.service.js';
import { readNewPassword } from './dto/account-forms.js';
import { MemberSessions } from './member-sessions.js';

/**
 * Where emailed links land. Opening a link changes nothing but a verification (mail scanners
 * open links too, and a scanner confirming an address it delivered to is harmless): signing in
 * and choosing a password take a press of a button on our page, so a scanner that fetches the
 * link neither uses it up nor gets the session.
 */
@Controller('account')
export class AccountLinksController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly pages: AccountPages,
    private readonly sessions: MemberSessions,
  ) {}

  @Get('verify')
  async verify(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('t') token: unknown,
  ) {
    const member = await this.accounts.redeem(site, 'verify-email', token);
    if (!member) {
      await this.pages.expired(reply, req, site);
      return;
    }
    await this.pages.send(reply, req, site, 'account-notice', {
      title: 'Your email address is confirmed',
      message: `Thank you, ${member.displayName}: ${member.email} is confirmed.`,
      next: { href: ACCOUNT_PATHS.home, text: 'Go to your account' },
    });
  }

  @Get('link')
  async linkPage(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('t') token: unknown,
  ) {
    const member = await this.accounts.linkHolder(site, 'sign-in', token);
    if (!member) {
      await this.pages.expired(reply, req, site);
      return;
    }
    await this.pages.send(reply, req, site, 'account-link', { email: member.email, token });
  }

  @Post('link')
  async link(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    this.pages.verify(req, site, 'account-link', body);
    const member = await this.accounts.redeem(site, 'sign-in', fieldsOf(body).t);
    if (!member) {
      await this.pages.expired(reply, req, site);
      return;
    }
    await signedIn(reply, await this.sessions.start(site, member.id));
  }

  @Get('reset')
  async resetPage(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('t') token: unknown,
  ) {
    const member = await this.accounts.linkHolder(site, 'reset-password', token);
    if (!member) {
      await this.pages.expired(reply, req, site);
      return;
    }
    await this.pages.send(reply, req, site, 'account-reset', {
      email: member.email,
      token,
      form: { values: {}, errors: {} },
    });
  }

  @Post('reset')
  async reset(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    this.pages.verify(req, site, 'account-reset', body);
    const fields = fieldsOf(body);
    const parsed = readNewPassword(fields);
    if (!parsed.ok) {
      const holder = await this.accounts.linkHolder(site, 'reset-password', fields.t);
      if (!holder) {
        await this.pages.expired(reply, req, site);
        return;
      }
      const form = { values: {}, errors: parsed.form.errors };
      const model = { email: holder.email, token: fields.t, form };
      await this.pages.send(reply, req, site, 'account-reset', model, 400);
      return;
    }
    const member = await this.accounts.resetPassword(site, fields.t, parsed.data.password);
    if (!member) {
      await this.pages.expired(reply, req, site);
      return;
    }
    await signedIn(reply, await this.sessions.start(site, member.id));
  }
}
