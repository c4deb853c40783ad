import { Body, Controller, Get, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AdminToken } from '../http/admin-token.js';
import { SiteViews } from '../rendering/site-views.js';
import { AbuseLimiter } from '../security/abuse-limiter.js';
import { ADMIN_SIGN_IN_PATH } from '../http/edge/admin-gate.hook.js';
import { AdminSessions, sessionTokenMatches } from '../security/admin-sessions.js';
import { callerOf } from '../security/caller.js';
import { FormTokens } from '../security/form-tokens.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { AdminPageGuard } from './admin-page.guard.js';
import { ADMIN_PAGE, ADMIN_SIGN_IN, RoutePolicy } from '../http/edge/route-policy.js';

/** Where a browser lands once signed in. */
const ADMIN_HOME = '/admin/flags';

/**
 * Signing in to the admin pages: the admin token is typed once into a form and exchanged for a
 * session cookie. The form carries a signed anti-forgery field, so a page elsewhere cannot sign
 * a browser in; wrong tokens count towards the same lockout as a wrong Bearer token (the admin
 * gate refuses a locked-out client before it gets here). Sign-out deletes the session.
 */
@RoutePolicy(ADMIN_PAGE)
@Controller('admin')
export class AdminSessionController {
  private readonly token: AdminToken;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly views: SiteViews,
    private readonly sessions: AdminSessions,
    private readonly limiter: AbuseLimiter,
    private readonly forms: FormTokens,
  ) {
    this.token = new AdminToken(config.adminToken);
  }

  @RoutePolicy(ADMIN_SIGN_IN)
  @Get('sign-in')
  async show(@CurrentSite() site: Site, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, site, 200);
  }

  @RoutePolicy(ADMIN_SIGN_IN)
  @Post('sign-in')
  async signIn(
    @CurrentSite() site: Site,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fields = formFields(body);
    if (!this.forms.check('admin-sign-in', site.id, '', fields._csrf).ok) {
      await this.render(reply, site, 403, 'This form has expired or is not ours: try again.');
      return;
    }
    if (!this.token.matches(typeof fields.token === 'string' ? fields.token : null)) {
      await this.limiter.adminFailed(callerOf(request).ip);
      await this.render(reply, site, 401, 'That is not the admin token.');
      return;
    }
    let session;
    try {
      session = await this.sessions.start();
    } catch {
      await this.render(reply, site, 503, 'Signing in is unavailable right now; try again soon.');
      return;
    }
    await reply
      .code(303)
      .header('Set-Cookie', this.sessions.setCookie(session))
      .header('Location', ADMIN_HOME)
      .send();
  }

  @Post('sign-out')
  @UseGuards(AdminPageGuard)
  async signOut(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const session = request.adminSession;
    if (session === null || !sessionTokenMatches(session, formFields(body)._csrf)) {
      await reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send('This form is not from the admin pages; you are still signed in.');
      return;
    }
    await this.sessions.end(session);
    await reply
      .code(303)
      .header('Set-Cookie', this.sessions.clearCookie())
      .header('Location', ADMIN_SIGN_IN_PATH)
      .send();
  }

  private async render(reply: FastifyReply, site: Site, status: number, error = ''): Promise<void> {
    const html = this.views.renderNeutral('admin/sign-in.njk', {
      csrf: this.forms.issue('admin-sign-in', site.id, ''),
      error,
    });
    await reply
      .code(status)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}

function formFields(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}
