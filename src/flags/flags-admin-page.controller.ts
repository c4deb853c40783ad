import { Body, Controller, Get, Header, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ValidationFailed } from '../common/domain-errors.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AdminToken } from '../http/admin-token.js';
import { SiteViews } from '../rendering/site-views.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { Autopilot } from './autopilot/autopilot.service.js';
import { FeatureFlags } from './feature-flags.service.js';
import { DEGRADATION_LEVEL_NAMES } from './flag-registry.js';
import { FlagAdmin } from './flag-admin.service.js';
import { FlagStore } from './flag-store.service.js';

/** What the page's forms post; every form carries the token in a hidden field. */
const pageForm = z.object({
  token: z.string().default(''),
  action: z.enum(['view', 'flip', 'clear', 'level']).default('view'),
  site: z.string().max(32).default(''),
  scope: z.enum(['site', 'global']).default('site'),
  key: z.string().max(64).default(''),
  value: z.enum(['true', 'false']).optional(),
  level: z.string().max(16).default(''),
  reason: z.string().max(500).default(''),
  actor: z.string().max(64).default(''),
});

/**
 * The operators' page: every flag per site with where its value comes from, flip buttons, the
 * degradation levels and the audit trail. A browser cannot send a bearer header from a link,
 * so the token is typed into a form and posted with every action; answers are never cached.
 */
@Controller('admin/flags')
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
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/html; charset=utf-8')
  login(): string {
    return this.views.renderNeutral('admin/flags.njk', { authorised: false });
  }

  @Post()
  async act(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    void reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8');
    const form = pageForm.safeParse(body ?? {});
    if (!form.success || !this.token.accepts(`Bearer ${form.data.token}`)) {
      const html = this.views.renderNeutral('admin/flags.njk', {
        authorised: false,
        error: 'That admin token is not valid.',
      });
      await reply.code(401).send(html);
      return;
    }
    const f = form.data;
    const siteId = this.sites.get(f.site) ? f.site : (this.sites.sites[0]?.id ?? '');
    const scopeSite = f.scope === 'site' ? siteId : undefined;
    const actor = f.actor.trim() || 'admin-page';
    let notice = '';
    let error = '';
    try {
      if (f.action === 'flip' || f.action === 'clear') {
        const value = f.action === 'clear' ? null : f.value === 'true';
        await this.admin.setFlag(
          f.key,
          { value, ...(scopeSite ? { site: scopeSite } : {}), reason: f.reason },
          actor,
        );
        notice = `${f.key} ${f.action === 'clear' ? 'override removed' : `set to ${String(value)}`} (${scopeSite ?? 'all sites'}).`;
      } else if (f.action === 'level') {
        await this.admin.applyLevel(
          { level: f.level, ...(scopeSite ? { site: scopeSite } : {}), reason: f.reason },
          actor,
        );
        notice = `Level ${f.level} applied (${scopeSite ?? 'all sites'}).`;
      }
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      error = e.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
    }
    const [flags, overview] = await Promise.all([
      this.flags.all(siteId),
      this.admin.overview(siteId),
    ]);
    const html = this.views.renderNeutral('admin/flags.njk', {
      authorised: true,
      token: f.token,
      actor,
      site: siteId,
      sites: this.sites.sites.map((s) => ({ id: s.id, name: s.name })),
      flags,
      levels: DEGRADATION_LEVEL_NAMES,
      currentLevels: overview.levels,
      audit: overview.audit,
      autopilot: this.autopilot.status(),
      store: this.store.status(),
      notice,
      error,
    });
    await reply.code(error ? 400 : 200).send(html);
  }
}
