import { Module } from '@nestjs/common';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { AssetManifest } from '../assets/asset-manifest.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { PageRenderer } from './page-renderer.js';
import { SiteViews } from './site-views.js';
import { SitesModule } from '../sites/sites.module.js';

@Module({
  imports: [SitesModule],
  providers: [
    {
      provide: AssetManifest,
      inject: [APP_CONFIG, SiteRegistry],
      useFactory: (config: AppConfig, registry: SiteRegistry) => {
        const manifest = new AssetManifest();
        manifest.addFolder('base', resolve(config.paths.public));
        for (const site of registry.sites) manifest.addFolder(site.id, join(site.dir, 'public'));
        // The report charts' library, served from our origin like every other script.
        const require = createRequire(import.meta.url);
        manifest.addFile('vendor', 'uplot.js', require.resolve('uplot/dist/uPlot.iife.min.js'));
        manifest.addFile('vendor', 'uplot.css', require.resolve('uplot/dist/uPlot.min.css'));
        return manifest;
      },
    },
    {
      provide: SiteViews,
      inject: [APP_CONFIG, SiteRegistry, AssetManifest],
      useFactory: (config: AppConfig, registry: SiteRegistry, assets: AssetManifest) =>
        new SiteViews(
          registry.sites,
          assets,
          config.paths.views,
          config.templateWatch,
          (site) => registry.get(site.id) === site,
        ),
    },
    PageRenderer,
  ],
  exports: [AssetManifest, SiteViews, PageRenderer],
})
export class RenderingModule {}
