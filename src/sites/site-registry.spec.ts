import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { SiteConfigError, SiteRegistry } from './site-registry.js';
import type { Site } from './site.js';

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
      ALTCHA_HMAC_KEY: 'altcha-Key-5647382910-qazwsxedcrfvtg',
      BOUNCE_DOMAIN: 'bounces.ecard.example',
      DKIM_KEY_ENCRYPTION_KEY: 'q3VhKx8ZbN2mT7cR4wY9fL1pD6sG0jHaE5uI8oB2nCk=',
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

describe('sites changed at runtime', () => {
  const config = configFor({ APP_STAGE: 'test' });
  const base = SiteRegistry.load(config);
  const kindred = base.get('kindred') as Site;
  const withHosts = (hostnames: string[], revision: number): Site => ({
    ...kindred,
    hostnames,
    revision,
  });

  it('answers on the new hostnames and no longer on one given up, even a remembered one', () => {
    const registry = new SiteRegistry(base.sites);
    expect(registry.resolve('Cards.KindredPaper.Example:8080')?.id).toBe('kindred');
    registry.put(withHosts(['cards.kindred.example'], 2));
    expect(registry.resolve('Cards.KindredPaper.Example:8080')).toBeNull();
    expect(registry.resolve('cards.kindred.example')?.revision).toBe(2);
    expect(registry.get('kindred')?.revision).toBe(2);
    expect(registry.sites.map((s) => s.id)).toEqual(['ecardia', 'kindred', 'merrypost']);
  });

  it("refuses a site taking another site's hostname and changes nothing", () => {
    const registry = new SiteRegistry(base.sites);
    const before = registry.get('kindred');
    expect(() => registry.put(withHosts(['www.ecardia.example'], 2))).toThrow(
      /"www\.ecardia\.example" is claimed by both "ecardia" and "kindred"/,
    );
    expect(registry.get('kindred')).toBe(before);
    expect(registry.resolve('www.ecardia.example')?.id).toBe('ecardia');
  });

  it('tells its listeners once per batch, with the sites that changed', () => {
    const registry = new SiteRegistry(base.sites);
    const heard: string[][] = [];
    registry.onChange((changed) => heard.push(changed.map((s) => s.id)));
    const acme: Site = { ...kindred, id: 'acme', hostnames: ['cards.acme.example'], revision: 1 };
    registry.putMany([acme, withHosts(kindred.hostnames, 3)]);
    expect(heard).toEqual([['acme', 'kindred']]);
    expect(registry.resolve('cards.acme.example')?.id).toBe('acme');
  });
});
