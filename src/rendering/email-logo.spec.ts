import { resolve } from 'node:path';
import { AssetManifest } from '../assets/asset-manifest.js';
import { loadConfig } from '../config/app-config.js';
import { SiteRegistry } from '../sites/site-registry.js';
import type { Site } from '../sites/site.js';
import { emailLogoOf } from './email-logo.js';

const config = loadConfig({ APP_STAGE: 'test', LOG_LEVEL: 'silent', PUBLIC_PORT: '8080' });
const registry = SiteRegistry.load(config);
const assets = new AssetManifest();
assets.addFolder('base', resolve(config.paths.public));
for (const site of registry.sites) assets.addFolder(site.id, resolve(site.dir, 'public'));
const kindred = registry.get('kindred') as Site;

const withVars = (vars: Record<string, string>): Site => ({
  ...kindred,
  vars: { ...kindred.vars, ...vars },
});

describe('the logo in emails', () => {
  it('prefers a logo uploaded in the console, as an absolute URL scaled to 40 px tall', () => {
    const logo = emailLogoOf(
      withVars({ logoUrl: '/site-logos/abc.png', logoWidth: '400', logoHeight: '100' }),
      assets,
    );
    expect(logo).toEqual({
      src: `${kindred.baseUrl}/site-logos/abc.png`,
      width: 160,
      height: 40,
    });
  });

  it('falls back to the folder logo when the uploaded one is incomplete or not a path', () => {
    const folder = emailLogoOf(kindred, assets);
    expect(folder?.src).not.toContain('/site-logos/');
    const incomplete: Record<string, string>[] = [
      { logoUrl: '/site-logos/abc.png', logoWidth: '400' },
      { logoUrl: 'https://evil.example/x.png', logoWidth: '400', logoHeight: '100' },
    ];
    for (const vars of incomplete) {
      expect(emailLogoOf(withVars(vars), assets)).toEqual(folder);
    }
  });
});
