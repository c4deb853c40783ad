import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ValidationFailed } from '../common/domain-errors.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { Autopilot, type AutopilotStatus } from '../flags/autopilot/autopilot.service.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { FlagAdmin } from '../flags/flag-admin.service.js';
import { FlagStore } from '../flags/flag-store.service.js';
import { ADMIN_API, RoutePolicy } from '../http/edge/route-policy.js';

interface FlagItem {
  key: string;
  value: boolean;
  kind: string;
  description: string;
  source: string;
  reason: string;
}

/** The flags API: bearer ADMIN_TOKEN, never cached (the guard sets no-store). */
@RoutePolicy(ADMIN_API)
@Controller('admin/api')
@UseGuards(AdminTokenGuard)
export class FlagsAdminController {
  constructor(
    private readonly flags: FeatureFlags,
    private readonly admin: FlagAdmin,
    private readonly store: FlagStore,
    private readonly sites: SiteRegistry,
    private readonly autopilot: Autopilot,
  ) {}

  /**
   * Every flag as this process evaluates it for the requesting site (or `?site=`), and with
   * `?visitor=` as that visitor would get it under a percentage rollout.
   */
  @Get('flags')
  async list(
    @CurrentSite() site: Site,
    @Query('site') siteParam?: string,
    @Query('visitor') visitor?: string,
  ): Promise<{
    site: string;
    snapshotVersion: number;
    autopilot: AutopilotStatus;
    items: FlagItem[];
  }> {
    const target = siteParam === undefined ? site : this.sites.get(siteParam);
    if (!target) throw new ValidationFailed([{ field: 'site', message: 'is not a known site' }]);
    if (visitor !== undefined && (typeof visitor !== 'string' || visitor.length > 64)) {
      throw new ValidationFailed([{ field: 'visitor', message: 'must be at most 64 characters' }]);
    }
    const items = (await this.flags.all(target.id, visitor)).map((f) => ({
      key: f.key,
      value: f.value,
      kind: f.kind,
      description: f.description,
      source: f.source,
      reason: f.reason,
    }));
    return {
      site: target.id,
      snapshotVersion: this.store.status().snapshotVersion,
      autopilot: this.autopilot.status(),
      items,
    };
  }

  /** `{ value, site?, percentage?, reason? }`; `value: null` removes the override. */
  @Put('flags/:key')
  @HttpCode(200)
  async set(
    @Param('key') key: string,
    @Body() body: unknown,
    @Headers('x-admin-actor') actor?: string,
  ): Promise<{ key: string; changed: boolean }> {
    const { changed } = await this.admin.setFlag(key, body, actor ?? 'admin-api');
    return { key, changed };
  }

  /** `{ level: normal|busy|peak|read-only, site?, reason? }`: a preset in one action. */
  @Post('degradation')
  @HttpCode(200)
  applyLevel(
    @Body() body: unknown,
    @Headers('x-admin-actor') actor?: string,
  ): Promise<{ changed: boolean }> {
    return this.admin.applyLevel(body, actor ?? 'admin-api');
  }

  @Put('degradation')
  @HttpCode(200)
  putLevel(
    @Body() body: unknown,
    @Headers('x-admin-actor') actor?: string,
  ): Promise<{ changed: boolean }> {
    return this.admin.applyLevel(body, actor ?? 'admin-api');
  }
}
