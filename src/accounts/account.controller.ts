import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../common/domain-errors.js';
import { sessionCsrfMatches } from '../identity/session-store.js';
import { FormRefused, logFormRefusal } from '../security/form-refusal.js';
import { refusedAsCrossSite, requestSource } from '../security/origin-check.js';
import { privateReply } from '../http/security-headers.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { AccountPages, fieldsOf } from './account-pages.js';
import { ACCOUNT_PATHS } from './account-paths.js';
import { AccountsService } from './accounts.service.js';
import { FavouritesRepository } from './favourites.repository.js';

const CARD_SLUG = /^[a-z0-9-]{1,120}$/;
import { MemberSessions, type SignedIn } from './member-sessions.js';

/**
 * The signed-in member's own pages: the account page, signing out (here or everywhere), export
 * and deletion, and the private fragment that personalises the shared cached pages. Every change
 * takes the session's own anti-forgery token and a page of this site as its origin.
 */
@Controller('account')
export class AccountController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly pages: AccountPages,
    private readonly sessions: MemberSessions,
    private readonly registry: SiteRegistry,
    private readonly favourites: FavouritesRepository,
    private readonly catalog: CatalogService,
  ) {}

  @Get()
  async home(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.signedIn(req, site);
    if (!current) {
      await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
      return;
    }
    const { member, session } = current;
    await this.pages.send(reply, req, site, 'account', {
      member: {
        name: member.displayName,
        email: member.email,
        verified: member.emailVerifiedAt !== null,
        hasPassword: member.passwordHash !== null,
      },
      sessionCsrf: session.csrf,
    });
  }

  /**
   * The personal part of shared pages, fetched by public/js/account-menu.js after the page: the
   * page itself stays one cached copy for everyone, members included.
   */
  @Get('me')
  async me(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.signedIn(req, site);
    // The session's form token rides along so the favourite star on a shared card page (which
    // can carry no one's token) can post; only a page of this origin can read this answer.
    const body = current
      ? {
          signedIn: true,
          name: current.member.displayName,
          accountUrl: ACCOUNT_PATHS.home,
          favourites: await this.favourites.slugsOf(site.id, current.member.id),
          csrf: current.session.csrf,
        }
      : { signedIn: false, signInUrl: ACCOUNT_PATHS.signIn, signUpUrl: ACCOUNT_PATHS.signUp };
    await privateReply(reply).send(body);
  }

  @Post('sign-out')
  async signOut(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.changeFrom(req, site, body);
    if (current) await this.sessions.end(current.session);
    await this.signedOut(reply, site, current ? 'You are signed out.' : null, req);
  }

  @Post('sign-out-everywhere')
  async signOutEverywhere(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.changeFrom(req, site, body);
    if (current) await this.sessions.endAll(site, current.member.id);
    const notice = 'You are signed out on every browser and device.';
    await this.signedOut(reply, site, current ? notice : null, req);
  }

  @Post('delete')
  async delete(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.changeFrom(req, site, body);
    if (!current) {
      await this.signedOut(reply, site, null, req);
      return;
    }
    if (fieldsOf(body).confirm !== 'yes') {
      await reply.code(303).header('Location', `${ACCOUNT_PATHS.home}#delete`).send();
      return;
    }
    await this.accounts.delete(site, current.member);
    await this.signedOut(reply, site, 'Your account and everything in it are deleted.', req);
  }

  /** Stars a card (`action=add`) or takes the star off (`action=remove`), then back to the card. */
  @Post('favourites')
  async favourite(
    @CurrentSite() site: Site,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ) {
    const current = await this.changeFrom(req, site, body);
    if (!current) {
      await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
      return;
    }
    const { card: slug, action } = fieldsOf(body);
    if (typeof slug !== 'string' || !CARD_SLUG.test(slug)) throw new NotFoundError('card');
    // Only a card this site shows can be starred here (a 404 otherwise).
    const card = await this.catalog.card(site, slug);
    if (action === 'remove') await this.favourites.remove(site.id, current.member.id, card.slug);
    else await this.favourites.add(site.id, current.member.id, card.slug);
    await reply.code(303).header('Location', `/cards/${card.slug}`).send();
  }

  /** Everything kept about the member, as a JSON download. */
  @Get('export')
  async export(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.signedIn(req, site);
    if (!current) {
      await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
      return;
    }
    await privateReply(reply)
      .header('Content-Disposition', `attachment; filename="${site.id}-account.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(await this.accounts.exportOf(site, current.member), null, 2));
  }

  private signedIn(req: FastifyRequest, site: Site): Promise<SignedIn | null> {
    return this.sessions.current(req, site);
  }

  /**
   * The signed-in member a form of the account page acts for. A post from another site, or
   * without the session's token, is refused; with no session there is nothing to change.
   */
  private async changeFrom(req: FastifyRequest, site: Site, body: unknown) {
    const source = requestSource(req, this.registry);
    if (refusedAsCrossSite(source)) {
      logFormRefusal(req, 'account', source);
      throw new FormRefused(source);
    }
    const current = await this.signedIn(req, site);
    if (current && !sessionCsrfMatches(current.session, fieldsOf(body)._csrf)) {
      logFormRefusal(req, 'account', 'token-invalid');
      throw new FormRefused('token-invalid');
    }
    return current;
  }

  private async signedOut(
    reply: FastifyReply,
    site: Site,
    notice: string | null,
    req: FastifyRequest,
  ): Promise<void> {
    reply.header('Set-Cookie', this.sessions.clearCookie());
    await this.pages.send(reply, req, site, 'account-notice', {
      title: notice ? 'Signed out' : 'You are not signed in',
      message: notice ?? 'There was no account signed in on this browser.',
      next: { href: ACCOUNT_PATHS.signIn, text: 'Sign in' },
    });
  }
}
