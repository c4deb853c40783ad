import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerOf } from '../security/caller.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { AccountPages, fieldsOf, signedIn } from './account-pages.js';
import { AccountsService, type EmailOutcome } from './accounts.service.js';
import { readEmail, readSignIn, readSignUp } from './dto/account-forms.js';
import { MemberSessions } from './member-sessions.js';

/**
 * Signing up and signing in, by password or emailed link, and asking for a new password. Every
 * form works without JavaScript and comes back with a message per field, and a refusal (a
 * throttle, a stale form) changes nothing.
 */
@Controller('account')
export class AccountEntryController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly pages: AccountPages,
    private readonly sessions: MemberSessions,
  ) {}

  @Get('sign-up')
  async signUpForm(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.pages.blank(reply, req, site, 'account-sign-up');
  }

  @Post('sign-up')
  async signUp(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    this.pages.verify(req, site, 'account-sign-up', body);
    const parsed = readSignUp(fieldsOf(body));
    if (!parsed.ok) {
      const form = { ...parsed.form, values: { ...parsed.form.values, password: '' } };
      await this.pages.send(reply, req, site, 'account-sign-up', { form }, 400);
      return;
    }
    const outcome = await this.accounts.signUp(site, callerOf(req).ip, parsed.data);
    const values = { ...parsed.data, password: '' };
    await this.afterEmail(reply, req, site, outcome, 'account-sign-up', values);
  }

  @Get('sign-in')
  async signInForm(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.pages.blank(reply, req, site, 'account-sign-in');
  }

  /** The password form (`action=password`) and "email me a link" (`action=link`) share a page. */
  @Post('sign-in')
  async signIn(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    this.pages.verify(req, site, 'account-sign-in', body);
    const fields = fieldsOf(body);
    const client = callerOf(req).ip;
    if (fields.action === 'link') {
      const parsed = readEmail(fields);
      if (!parsed.ok) {
        await this.pages.send(reply, req, site, 'account-sign-in', { form: parsed.form }, 400);
        return;
      }
      const outcome = await this.accounts.requestEmail(site, client, parsed.data.email, 'sign-in');
      await this.afterEmail(reply, req, site, outcome, 'account-sign-in', parsed.data);
      return;
    }
    const parsed = readSignIn(fields);
    if (!parsed.ok) {
      const form = { ...parsed.form, values: { ...parsed.form.values, password: '' } };
      await this.pages.send(reply, req, site, 'account-sign-in', { form }, 400);
      return;
    }
    const { email, password } = parsed.data;
    const outcome = await this.accounts.signIn(site, client, email, password);
    if ('member' in outcome) {
      await signedIn(reply, await this.sessions.start(site, outcome.member.id));
      return;
    }
    const values = { email, password: '' };
    if ('throttled' in outcome) {
      await this.pages.throttled(reply, req, site, 'account-sign-in', values, outcome.throttled);
      return;
    }
    // One message for an unknown address and a wrong password: nobody learns who has an account.
    const errors = {
      password: 'Password: that email address and password do not match an account',
    };
    await this.pages.send(
      reply,
      req,
      site,
      'account-sign-in',
      { form: { values, errors }, offerLink: true },
      401,
    );
  }

  @Get('forgot-password')
  async forgotForm(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.pages.blank(reply, req, site, 'account-forgot');
  }

  @Post('forgot-password')
  async forgot(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    this.pages.verify(req, site, 'account-forgot', body);
    const parsed = readEmail(fieldsOf(body));
    if (!parsed.ok) {
      await this.pages.send(reply, req, site, 'account-forgot', { form: parsed.form }, 400);
      return;
    }
    const { email } = parsed.data;
    const outcome = await this.accounts.requestEmail(
      site,
      callerOf(req).ip,
      email,
      'reset-password',
    );
    await this.afterEmail(reply, req, site, outcome, 'account-forgot', parsed.data);
  }

  /** "Check your email", or the form again with the throttle's message. */
  private async afterEmail(
    reply: FastifyReply,
    req: FastifyRequest,
    site: Site,
    outcome: EmailOutcome,
    template: 'account-sign-up' | 'account-sign-in' | 'account-forgot',
    values: Record<string, string>,
  ): Promise<void> {
    if ('throttled' in outcome) {
      await this.pages.throttled(reply, req, site, template, values, outcome.throttled);
      return;
    }
    await this.pages.send(reply, req, site, 'account-notice', {
      title: 'Check your email',
      message: `If ${values.email ?? 'this address'} can receive mail from us, a message with a link is on its way. The link works once.`,
    });
  }
}
