import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AdminPageGuard } from './admin-page.guard.js';
import { ValidationFailed } from '../common/domain-errors.js';
import { SiteViews } from '../rendering/site-views.js';
import { sessionTokenMatches } from '../security/admin-sessions.js';
import { type FormRefusalReason, logFormRefusal } from '../security/form-refusal.js';
import { refusedAsCrossSite, requestSource } from '../security/origin-check.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { Autopilot } from '../flags/autopilot/autopilot.service.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { DEGRADATION_LEVEL_NAMES } from '../config/flag-registry.js';
import { FlagAdmin } from '../flags/flag-admin.service.js';
import { FlagStore } from '../flags/flag-store.service.js';
import { ADMIN_PAGE, RoutePolicy } from '../http/edge/route-policy.js';

/** What the page's forms post; every form carries the session's anti-forgery token. */
const pageForm = z.object({
  _csrf: z.string().max(64).default(''),
  action: z.enum(['flip', 'clear', 'level']),
  site: z.string().max(32).default(''),
  scope: z.enum(['site', 'global']).default('site'),
  key: z.string().max(64).default(''),
  value: z.enum(['true', 'false']).optional(),
  level: z.string().max(16).default(''),
  reason: z.string().max(500).default(''),
  actor: z.string().max(64).default(''),
});

interface Outcome {
  notice?: string;
  error?: string;
}

/**
 * The operators' page: every flag per site with where its value comes from, flip buttons, the
 * degradation levels and the audit trail. The admin gate has already found the browser's
 * session (see /admin/sign-in); the guard checks it again. Every form also carries the session's
 * anti-forgery token, never the admin token, which a forging page cannot know: a post without it
 * changes nothing, and a script with the Bearer token uses the admin API instead. That token
 * also decides when the browser withholds the origin (`Origin: null`); a browser saying another
 * site sent the form is refused whatever it carries. Answers are never cached.
 */
@RoutePolicy(ADMIN_PAGE)
@Controller('admin/flags')
@UseGuards(AdminPageGuard)
export class FlagsAdminPageController {
  constructor(
    private readonly views: SiteViews,
    private readonly sites: SiteRegistry,
    private readonly flags: FeatureFlags,
    private readonly admin: FlagAdmin,
    private readonly store: FlagStore,
    private readonly autopilot: Autopilot,
  ) {}

  @Get()
  async show(
    @CurrentSite() here: Site,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('site') siteParam?: string,
  ): Promise<void> {
    const site = this.siteFor(siteParam, here);
    const error = site ? undefined : `There is no site "${String(siteParam)}".`;
    await this.render(reply, site ?? here.id, request.adminSession?.csrf ?? '', { error });
  }

  @Post()
  @RoutePolicy({ ownFormToken: true })
  async act(
    @CurrentSite() here: Site,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const session = request.adminSession;
    const source = requestSource(request, this.sites);
    const refusal: FormRefusalReason | null = refusedAsCrossSite(source)
      ? source
      : session !== null && sessionTokenMatches(session, fields._csrf)
        ? null
        : 'token-invalid';
    if (refusal || session === null) {
      logFormRefusal(request, 'admin-flags', refusal ?? 'token-invalid');
      const html = this.views.renderNeutral('admin/flags.njk', {
        authorised: false,
        error:
          refusal === 'token-invalid'
            ? 'This form is not from the admin page (its anti-forgery token is missing or wrong); nothing was changed.'
            : 'This form was sent from another website; nothing was changed.',
      });
      await noStore(reply).code(403).send(html);
      return;
    }
    const form = pageForm.safeParse(fields);
    if (!form.success) {
      await this.render(reply, here.id, session.csrf, { error: 'That form was not understood.' });
      return;
    }
    const f = form.data;
    const siteId = this.siteFor(f.site, here) ?? here.id;
    const scopeSite = f.scope === 'site' ? siteId : undefined;
    const actor = f.actor.trim() || 'admin-page';
    const where = scopeSite ?? 'all sites';
    let outcome: Outcome;
    try {
      if (f.action === 'level') {
        await this.admin.applyLevel(
          { level: f.level, ...(scopeSite ? { site: scopeSite } : {}), reason: f.reason },
          actor,
        );
        outcome = { notice: `Level ${f.level} applied (${where}).` };
      } else {
        const value = f.action === 'clear' ? null : f.value === 'true';
        await this.admin.setFlag(
          f.key,
          { value, ...(scopeSite ? { site: scopeSite } : {}), reason: f.reason },
          actor,
        );
        const what = value === null ? 'override removed' : `set to ${String(value)}`;
        outcome = { notice: `${f.key} ${what} (${where}).` };
      }
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      outcome = { error: e.errors.map((x) => `${x.field}: ${x.message}`).join('; ') };
    }
    await this.render(reply, siteId, session.csrf, { ...outcome, actor });
  }

  /** The site named by `site` (empty: the host's own), or null when no such site exists. */
  private siteFor(name: string | undefined, here: Site): string | null {
    if (name === undefined || name === '') return here.id;
    return this.sites.get(name)?.id ?? null;
  }

  private async render(
    reply: FastifyReply,
    siteId: string,
    csrf: string,
    outcome: Outcome & { actor?: string },
  ): Promise<void> {
    const [flags, overview] = await Promise.all([
      this.flags.all(siteId),
      this.admin.overview(siteId),
    ]);
    const html = this.views.renderNeutral('admin/flags.njk', {
      authorised: true,
      csrf,
      actor: outcome.actor ?? '',
      site: siteId,
      sites: this.sites.sites.map((s) => ({ id: s.id, name: s.name })),
      flags,
      levels: DEGRADATION_LEVEL_NAMES,
      currentLevels: overview.levels,
      audit: overview.audit,
      autopilot: this.autopilot.status(),
      store: this.store.status(),
      notice: outcome.notice ?? '',
      error: outcome.error ?? '',
    });
    await noStore(reply)
      .code(outcome.error ? 400 : 200)
      .send(html);
  }
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8');
}
