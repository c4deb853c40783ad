import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { SiteConfigError, SiteRegistry } from './site-registry.js';

/** Store URLs named outright, so no test needs the local services' credentials file. */
const STORES = {
  DATABASE_URL: 'mysql://ecard:a-real-password@db.internal/ecard',
  REDIS_URL: 'redis://:a-real-password@redis.internal:6379',
};
const configFor = (env: Record<string, string>) =>
  loadConfig({ LOG_LEVEL: 'silent', ...STORES, ...env });

describe('site links by stage', () => {
  it("development builds links from the sites' *.localhost names with the web port", () => {
    const registry = SiteRegistry.load(configFor({ APP_STAGE: 'development', PORT: '8080' }));
    expect(registry.get('kindred')?.baseUrl).toBe('http://kindred.localhost:8080');
    expect(registry.get('ecardia')?.baseUrl).toBe('http://ecardia.localhost:8080');
    expect(registry.get('merrypost')?.baseUrl).toBe('http://merrypost.localhost:8080');
  });

  it.each(['test', 'staging', 'production'])('%s keeps the canonical host', (stage) => {
    const secrets = {
      DATABASE_URL: 'mysql://ecard:a-real-password@db.internal/ecard',
      REDIS_URL: 'redis://:a-real-password@redis.internal:6379',
      SMTP_URL: 'smtp://mail.internal:25',
      PICKUP_TOKEN_SECRET: 'pickup-Secret-0123456789-abcdefghijkl',
      ADMIN_TOKEN: 'admin-Token-9876543210-zyxwvutsrqponm',
      BOUNCE_DOMAIN: 'bounces.ecard.example',
    };
    const registry = SiteRegistry.load(configFor({ ...secrets, APP_STAGE: stage }));
    const kindred = registry.get('kindred');
    expect(kindred?.baseUrl).toMatch(/^https?:\/\/cards\.kindredpaper\.example(:\d+)?$/);
    expect(kindred?.localHost).toBe('kindred.localhost');
  });

  it('PUBLIC_HOST_STYLE chooses either way in development and test', () => {
    const canonical = SiteRegistry.load(
      configFor({ APP_STAGE: 'development', PORT: '8080', PUBLIC_HOST_STYLE: 'canonical' }),
    );
    expect(canonical.get('kindred')?.baseUrl).toBe('http://cards.kindredpaper.example:8080');
    const local = SiteRegistry.load(
      configFor({ APP_STAGE: 'test', PUBLIC_PORT: '8080', PUBLIC_HOST_STYLE: 'local' }),
    );
    expect(local.get('merrypost')?.baseUrl).toBe('http://merrypost.localhost:8080');
  });
});

describe('a site that lists no *.localhost name', () => {
  let root: string;
  const kindred = JSON.parse(readFileSync('sites/kindred/site.json', 'utf8')) as {
    id: string;
    hostnames: string[];
  };
  const writeSite = (id: string, hostnames: string[]) => {
    mkdirSync(join(root, id), { recursive: true });
    writeFileSync(join(root, id, 'site.json'), JSON.stringify({ ...kindred, id, hostnames }));
  };
  const load = (style: 'local' | 'canonical') =>
    SiteRegistry.load(
      configFor({
        APP_STAGE: 'development',
        PORT: '8080',
        PUBLIC_HOST_STYLE: style,
        SITES_DIR: root,
      }),
    );

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sites-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gets <id>.localhost, which answers only where links use it', () => {
    writeSite('acme', ['cards.acme.example']);
    const local = load('local');
    expect(local.get('acme')?.baseUrl).toBe('http://acme.localhost:8080');
    expect(local.resolve('acme.localhost:8080')?.id).toBe('acme');
    const canonical = load('canonical');
    expect(canonical.get('acme')?.localHost).toBe('acme.localhost');
    expect(canonical.resolve('acme.localhost')).toBeNull();
  });

  it("stops boot when its derived name is another site's", () => {
    writeSite('acme', ['cards.acme.example']);
    writeSite('other', ['cards.other.example', 'acme.localhost']);
    expect(() => load('local')).toThrow(SiteConfigError);
    expect(() => load('local')).toThrow(/"acme\.localhost" is claimed by both/);
  });
});
