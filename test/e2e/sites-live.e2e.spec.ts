import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SiteConfigError } from '../../src/sites/site-definition.js';
import { readSiteFolder } from '../../src/sites/site-folder.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { exportSiteFolder, importSiteFolder } from '../../src/sites/sites-context.module.js';
import { SitesService } from '../../src/sites/sites.service.js';
import { builtEntry } from '../support/built-sources.js';
import type { TestResponse } from '../support/http-client.js';
import { HOSTS, ownKeyPrefix, startTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);

/** Within this long of a save returning, every process serves the change. */
const LIVE_WITHIN_MS = 1000;

const kindred = JSON.parse(readFileSync('sites/kindred/site.json', 'utf8')) as Record<
  string,
  unknown
>;

/** A partner site of its own for this file, so no other test sees its changes. */
function partnerDefinition(id: string, host: string, themeColor = '#1f6f5c') {
  const vars = kindred.vars as Record<string, string>;
  return {
    ...kindred,
    id,
    name: `Partner ${id}`,
    hostnames: [host],
    vars: { ...vars, brandName: `Partner ${id}`, themeColor },
  };
}

function writeFolder(root: string, name: string, content: unknown): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'site.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  return dir;
}

/** Asks until `done` accepts an answer or the time is up; the last answer is returned. */
async function pollUntil(
  app: TestApp,
  host: string,
  done: (res: TestResponse) => boolean,
  withinMs: number,
): Promise<{ res: TestResponse; elapsedMs: number }> {
  const started = performance.now();
  for (;;) {
    const res = await app.request({ method: 'GET', url: '/', host });
    const elapsedMs = performance.now() - started;
    if (done(res) || elapsedMs > withinMs) return { res, elapsedMs };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * How long after now the process holds the site's revision (or a later one), polled in the
 * process itself: the bound is on the change reaching the process, not on how long its first
 * page for a new site takes to render on a machine shared with other test files.
 */
async function appliedWithin(
  app: TestApp,
  siteId: string,
  revision: number,
  withinMs: number,
): Promise<number> {
  const registry = app.app.get(SiteRegistry);
  const started = performance.now();
  for (;;) {
    const elapsedMs = performance.now() - started;
    if ((registry.get(siteId)?.revision ?? -1) >= revision || elapsedMs > withinMs) {
      return elapsedMs;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const themeOf = (res: TestResponse) =>
  /<meta name="theme-color" content="([^"]+)">/.exec(res.body)?.[1] ?? null;

describe('sites stored in the database, changed live', () => {
  let a: TestApp;
  let b: TestApp;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sites-live-'));
    // Two processes over the same database and Redis: a change made through one reaches both.
    // Their key prefix, which names the purge channel, is this file's: a card edited in another
    // file purges `home`, and would turn the untouched site's expected hit below into a miss.
    const env = ownKeyPrefix('sites-live');
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('imports a folder with the CLI and serves the new host in every process at once', async () => {
    const dir = writeFolder(root, 'acme', partnerDefinition('acme', 'cards.acme.example'));
    const before = await b.request({ method: 'GET', url: '/', host: 'cards.acme.example' });
    expect(before.statusCode).toBe(404);

    const { stdout } = await run(process.execPath, [builtEntry('cli'), 'sites:import', dir], {
      env: { ...process.env, APP_STAGE: 'test', LOG_LEVEL: 'silent', NODE_OPTIONS: '' },
    });
    expect(stdout).toMatch(/sites:import: acme saved as version 1, live on cards\.acme\.example/);

    const appliedMs = await Promise.all(
      [a, b].map((app) => appliedWithin(app, 'acme', 1, LIVE_WITHIN_MS)),
    );
    for (const app of [a, b]) {
      const res = await app.request({ method: 'GET', url: '/', host: 'cards.acme.example' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Partner acme');
    }
    expect(Math.max(...appliedMs)).toBeLessThanOrEqual(LIVE_WITHIN_MS);
  });

  it("changes a theme through one process; the other serves it and keeps other sites' pages", async () => {
    const sites = a.app.get(SitesService);
    await sites.put(partnerDefinition('bolt', 'cards.bolt.example', '#224466'), {
      author: 'test',
      reason: 'a site to change',
    });
    await pollUntil(b, 'cards.bolt.example', (r) => r.statusCode === 200, LIVE_WITHIN_MS);
    // Both sites' home pages cached in the second process.
    for (const host of ['cards.bolt.example', HOSTS.partner]) {
      await b.request({ method: 'GET', url: '/', host });
      const warm = await b.request({ method: 'GET', url: '/', host });
      expect(warm.headers['x-cache']).toBe('HIT');
    }

    const saved = await sites.update(
      'bolt',
      (current) => ({ ...current, vars: { ...current.vars, themeColor: '#aa3300' } }),
      { author: 'ops@example.test', reason: 'autumn colours' },
    );
    expect(saved.changed).toBe(true);

    const appliedMs = await appliedWithin(b, 'bolt', saved.revision, LIVE_WITHIN_MS);
    // The purge that follows the change travels on a connection of its own.
    const { res } = await pollUntil(
      b,
      'cards.bolt.example',
      (r) => themeOf(r) === '#aa3300',
      LIVE_WITHIN_MS,
    );
    expect(themeOf(res)).toBe('#aa3300');
    expect(res.headers['x-cache']).toBe('MISS');
    expect(appliedMs).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    const untouched = await b.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(untouched.headers['x-cache']).toBe('HIT');

    const versions = await sites.versions('bolt');
    expect(versions.map((v) => [v.revision, v.author, v.reason])).toEqual([
      [saved.revision, 'ops@example.test', 'autumn colours'],
      [saved.revision - 1, 'test', 'a site to change'],
    ]);
    expect(versions[0]?.definition.vars.themeColor).toBe('#aa3300');

    await sites.revert('bolt', saved.revision - 1, { author: 'test', reason: 'back' });
    const reverted = await pollUntil(
      b,
      'cards.bolt.example',
      (r) => themeOf(r) === '#224466',
      LIVE_WITHIN_MS,
    );
    expect(themeOf(reverted.res)).toBe('#224466');
    expect((await sites.versions('bolt'))[0]?.reason).toBe('back');
  });

  it('exports a site to a folder that imports back unchanged', async () => {
    const sites = a.app.get(SitesService);
    await sites.put(partnerDefinition('crest', 'cards.crest.example'), {
      author: 'test',
      reason: 'export me',
    });
    const out = join(root, 'crest-export');
    await exportSiteFolder(sites, 'crest', out);
    expect(readSiteFolder(out)).toEqual(await sites.definition('crest'));
    const again = await importSiteFolder(sites, out, 'test');
    expect(again.changed).toBe(false);
    expect(await sites.versions('crest')).toHaveLength(1);
  });

  it('refuses an invalid site with every problem named, and changes nothing', async () => {
    const sites = a.app.get(SitesService);
    const registry = b.app.get(SiteRegistry);
    const before = registry.get('kindred');
    const broken = { ...partnerDefinition('kindred', HOSTS.partner), locale: 'english' };
    (broken.vars as Record<string, string>).themeColor = 'green';
    const dir = writeFolder(root, 'broken', broken);

    const refusal = await importSiteFolder(sites, dir, 'test').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SiteConfigError);
    expect((refusal as SiteConfigError).message).toMatch(/invalid site definition/);
    expect((refusal as SiteConfigError).problems).toEqual(
      expect.arrayContaining([
        { field: 'locale', message: 'must look like en-US' },
        { field: 'vars.themeColor', message: 'must be a #rrggbb colour' },
      ]),
    );
    const garbled = writeFolder(root, 'garbled', '{ "id": "kindred", ');
    await expect(importSiteFolder(sites, garbled, 'test')).rejects.toThrow(/not valid JSON/);
    const thief = writeFolder(root, 'thief', partnerDefinition('thief', HOSTS.partner));
    await expect(importSiteFolder(sites, thief, 'test')).rejects.toThrow(
      `"${HOSTS.partner}" is already used by site "kindred"`,
    );

    expect(await sites.versions('kindred')).toHaveLength(1);
    await expect(sites.definition('thief')).rejects.toThrow(/does not exist/);
    expect(registry.get('kindred')).toBe(before);
    const page = await b.request({ method: 'GET', url: '/', host: HOSTS.partner });
    expect(page.body).toContain('Kindred Paper Co.');
  });
});
