import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AdminTokenGuard } from '../admin/admin-token.guard.js';
import { ValidationFailed } from '../common/domain-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AdminToken, presentedToken } from '../http/admin-token.js';
import { SiteViews } from '../rendering/site-views.js';
import { CHECKS_ADMIN_FORM_TOKEN } from '../security/admin-gate.hook.js';
import { type FormRefusalReason, logFormRefusal } from '../security/form-refusal.js';
import { refusedAsCrossSite, requestSource } from '../security/origin-check.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { Autopilot } from './autopilot/autopilot.service.js';
import { FeatureFlags } from './feature-flags.service.js';
import { DEGRADATION_LEVEL_NAMES } from './flag-registry.js';
import { FlagAdmin } from './flag-admin.service.js';
import { FlagStore } from './flag-store.service.js';

/** What the page's forms post; every form carries the admin token in a hidden field. */
const pageForm = z.object({
  token: z.string().max(512).default(''),
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
 * degradation levels and the audit trail. The admin gate has already checked the credential
 * (HTTP Basic from a browser's prompt); the guard checks it again. Because a browser sends Basic
 * credentials with any form posted to this host, even from another site's page, every form also
 * carries the token in a hidden field, which a forging page cannot know: a post without it
 * changes nothing. That token also decides when the browser withholds the origin (`Origin:
 * null`); a browser saying another site sent the form is refused whatever it carries. Answers
 * are never cached.
 */
@Controller('admin/flags')
@UseGuards(AdminTokenGuard)
export class FlagsAdminPageController {
  private readonly token: AdminToken;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly views: SiteViews,
    private readonly sites: SiteRegistry,
    private readonly flags: FeatureFlags,
    private readonly admin: FlagAdmin,
    private readonly store: FlagStore,
    private readonly autopilot: Autopilot,
  ) {
    this.token = new AdminToken(config.adminToken);
  }

  @Get()
  async show(
    @CurrentSite() here: Site,
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
    @Query('site') siteParam?: string,
  ): Promise<void> {
    const site = this.siteFor(siteParam, here);
    const error = site ? undefined : `There is no site "${String(siteParam)}".`;
    await this.render(reply, site ?? here.id, presentedToken(authorization) ?? '', { error });
  }

  @Post()
  @RouteConfig(CHECKS_ADMIN_FORM_TOKEN)
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
    const source = requestSource(request, this.sites);
    const refusal: FormRefusalReason | null = refusedAsCrossSite(source)
      ? source
      : this.token.matches(typeof fields.token === 'string' ? fields.token : null)
        ? null
        : 'token-invalid';
    if (refusal) {
      logFormRefusal(request, 'admin-flags', refusal);
      const html = this.views.renderNeutral('admin/flags.njk', {
        authorised: false,
        error:
          refusal === 'token-invalid'
            ? 'This form is not from the admin page (its token is missing or wrong); nothing was changed.'
            : 'This form was sent from another website; nothing was changed.',
      });
      await noStore(reply).code(403).send(html);
      return;
    }
    const form = pageForm.safeParse(fields);
    if (!form.success) {
      const token = String(fields.token);
      await this.render(reply, here.id, token, { error: 'That form was not understood.' });
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
    await this.render(reply, siteId, f.token, { ...outcome, actor });
  }

  /** The site named by `site` (empty: the host's own), or null when no such site exists. */
  private siteFor(name: string | undefined, here: Site): string | null {
    if (name === undefined || name === '') return here.id;
    return this.sites.get(name)?.id ?? null;
  }

  private async render(
    reply: FastifyReply,
    siteId: string,
    token: string,
    outcome: Outcome & { actor?: string },
  ): Promise<void> {
    const [flags, overview] = await Promise.all([
      this.flags.all(siteId),
      this.admin.overview(siteId),
    ]);
    const html = this.views.renderNeutral('admin/flags.njk', {
      authorised: true,
      token,
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
