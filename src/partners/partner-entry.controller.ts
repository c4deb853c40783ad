import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerOf } from '../security/caller.js';
import { type ConsoleLink, PartnerAuth } from './partner-auth.service.js';
import { readForm, withoutSecrets } from './partner-forms.js';
import { fieldsOf, PartnerPages, seeOther } from './partner-pages.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { PartnerSessions } from './partner-sessions.js';

const WRONG = 'Password: that email address, password and code do not match a console account';

/**
 * Getting into the console: signing in (password, then the TOTP code when enrolled), asking for
 * a reset link, and choosing a password from an invite or reset link. Every form works without
 * JavaScript and comes back with a message per field; a refusal changes nothing.
 */
@Controller('partner')
export class PartnerEntryController {
  constructor(
    private readonly auth: PartnerAuth,
    private readonly pages: PartnerPages,
    private readonly sessions: PartnerSessions,
  ) {}

  @Get('sign-in')
  async signInForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    await this.pages.send(reply, req, 'sign-in', { form: { values: {}, errors: {} } });
  }

  @Post('sign-in')
  async signIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    if (!this.pages.anonymousFormOk(req, 'sign-in', body)) return this.pages.refused(reply, req);
    const parsed = readForm('signIn', fieldsOf(body));
    if (!parsed.ok) return this.pages.send(reply, req, 'sign-in', { form: parsed.form }, 400);
    const { email, password, code } = parsed.data;
    const outcome = await this.auth.signIn(callerOf(req).ip, email, password, code);
    const values = { email };
    if ('person' in outcome) {
      return seeOther(reply, CONSOLE_PATHS.home, await this.sessions.start(outcome.person.id));
    }
    if ('throttled' in outcome) {
      return this.pages.throttled(reply, req, 'sign-in', values, outcome.throttled);
    }
    if ('codeNeeded' in outcome) {
      const errors = { code: 'Code: enter the 6 digits your authenticator app shows' };
      return this.pages.send(reply, req, 'sign-in', { form: { values, errors } }, 401);
    }
    await this.pages.send(
      reply,
      req,
      'sign-in',
      { form: { values, errors: { password: WRONG } } },
      401,
    );
  }

  @Get('forgot-password')
  async forgotForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    await this.pages.send(reply, req, 'forgot', { form: { values: {}, errors: {} } });
  }

  @Post('forgot-password')
  async forgot(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    if (!this.pages.anonymousFormOk(req, 'forgot', body)) return this.pages.refused(reply, req);
    const parsed = readForm('email', fieldsOf(body));
    if (!parsed.ok) return this.pages.send(reply, req, 'forgot', { form: parsed.form }, 400);
    const throttled = await this.auth.requestReset(callerOf(req).ip, parsed.data.email);
    if (throttled) return this.pages.throttled(reply, req, 'forgot', parsed.data, throttled);
    await this.pages.send(reply, req, 'notice', {
      title: 'Check your email',
      message:
        'If this address has a console account, a link to choose a new password is on its way. It works once, for 30 minutes.',
    });
  }

  /** Opening the link changes nothing (mail scanners fetch links): the form's button does. */
  @Get('set-password')
  async setPasswordForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    const link = linkOf(query);
    const person = link ? await this.auth.linkHolder(link.purpose, link.token) : null;
    if (!link || !person) return this.expired(reply, req);
    await this.pages.send(reply, req, 'set-password', {
      form: { values: {}, errors: {} },
      link,
      email: person.email,
    });
  }

  @Post('set-password')
  async setPassword(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() body: unknown) {
    if (!this.pages.onAdminHost(req)) return this.pages.notFound(reply);
    if (!this.pages.anonymousFormOk(req, 'set-password', body))
      return this.pages.refused(reply, req);
    const fields = fieldsOf(body);
    const link = linkOf(fields);
    if (!link) return this.expired(reply, req);
    const parsed = readForm('newPassword', fields);
    if (!parsed.ok) {
      const holder = await this.auth.linkHolder(link.purpose, link.token);
      if (!holder) return this.expired(reply, req);
      const model = {
        form: { values: withoutSecrets(parsed.form.values), errors: parsed.form.errors },
        link,
        email: holder.email,
      };
      return this.pages.send(reply, req, 'set-password', model, 400);
    }
    const person = await this.auth.setPassword(link.purpose, link.token, parsed.data.password);
    if (!person) return this.expired(reply, req);
    await seeOther(reply, CONSOLE_PATHS.home, await this.sessions.start(person.id));
  }

  private expired(reply: FastifyReply, req: FastifyRequest) {
    return this.pages.send(
      reply,
      req,
      'notice',
      {
        title: 'This link has expired',
        message:
          'The link was used already or is too old. Ask for a new one from the sign-in page, or ask whoever invited you to invite you again.',
      },
      410,
    );
  }
}

/** The emailed link's purpose and token, from its query or the form that carries them on. */
function linkOf(fields: Record<string, unknown>): { purpose: ConsoleLink; token: string } | null {
  const invite = fields.invite;
  const reset = fields.reset;
  if (typeof invite === 'string' && invite !== '') return { purpose: 'invite', token: invite };
  if (typeof reset === 'string' && reset !== '') return { purpose: 'reset-password', token: reset };
  return null;
}
