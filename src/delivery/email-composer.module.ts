import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { SignedLinks } from '../greetings/signed-links.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SiteViews } from '../rendering/site-views.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { SitesModule } from '../sites/sites.module.js';
import { EmailComposer } from './email-composer.js';
import { EmailViews } from './email-views.js';
import { ReturnPaths } from './return-paths.js';

/**
 * How the platform's emails are built (templates, links, Return-Paths), without sending them:
 * the worker composes what it sends with it, and the partner console previews a draft's
 * greeting email with the very same code, so a preview cannot drift from what is sent.
 */
@Module({
  imports: [SitesModule, RenderingModule, RecipientsModule],
  providers: [
    {
      provide: ReturnPaths,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new ReturnPaths(c.pickupTokenSecret, c.bounces.domain),
    },
    {
      provide: EmailViews,
      inject: [SiteViews, SiteRegistry, APP_CONFIG],
      useFactory: (views: SiteViews, registry: SiteRegistry, c: AppConfig) =>
        new EmailViews(views, registry.sites, c.paths.views),
    },
    {
      provide: EmailComposer,
      inject: [EmailViews, SignedLinks, ReturnPaths],
      useFactory: (views: EmailViews, links: SignedLinks, returnPaths: ReturnPaths) =>
        new EmailComposer(views, links, returnPaths),
    },
  ],
  exports: [ReturnPaths, EmailViews, EmailComposer],
})
export class EmailComposerModule {}
