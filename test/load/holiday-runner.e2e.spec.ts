import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mix, Scenario } from '../../load-tests/holiday/model.js';
import { type Report, verdictOf } from '../../load-tests/holiday/report.js';
import { runScenario } from '../../load-tests/holiday/run.js';
import { splitMix, stageSteps } from '../../load-tests/holiday/runner.js';
import { HOLIDAY_MIX, holidayMix } from '../../load-tests/holiday/scenarios.js';
import { ensureMembers, signInAll } from '../../load-tests/holiday/members.js';
import { ensurePartnerSites, LOAD_OPERATOR_EMAIL } from '../../load-tests/holiday/partner-sites.js';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The runner sends as a keyed client, like a partner's server, so it is never throttled as one IP.
const API_KEY = 'load-runner-test-key-0123456789';

const MIX: Mix = { card: 6, home: 1, occasion: 1, compose: 1, pickup: 2, send: 3 };

const tiny: Scenario = {
  name: 'tiny',
  description: 'a few seconds of every kind',
  stages: [
    { name: 'warm', seconds: 1, connections: 4, mix: MIX },
    { name: 'peak', seconds: 2, connections: 4, mix: MIX },
  ],
  checks: [
    {
      label: 'pages',
      stage: 'peak',
      kinds: ['card', 'home', 'occasion', 'compose', 'pickup'],
      minRate: 1,
      maxP99Ms: 5000,
    },
  ],
};

/** A kind's responses by status over every stage of a report. */
function rowsOf(report: Report, kind: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stage of report.stages)
    for (const row of stage.rows.filter((r) => r.kind === kind))
      for (const [status, n] of Object.entries(row.outcomes)) out[status] = (out[status] ?? 0) + n;
  return out;
}

describe('holiday load runner', () => {
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS: `loadtest=${API_KEY}` });
    dir = mkdtempSync(join(tmpdir(), 'load-report-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a tiny scenario over every site and writes a report with a verdict', async () => {
    const lines: string[] = [];
    const { report, jsonPath, htmlPath } = await runScenario({
      target: { url: `http://127.0.0.1:${app.port}`, apiKey: API_KEY },
      scenario: tiny,
      slo: {
        pageRate: 5,
        pageP99Ms: 5000,
        sendRate: 0,
        sendP99Ms: 5000,
        maxErrors: 0,
        drainTimeoutSeconds: 1,
      },
      sink: null,
      reportsDir: dir,
      log: (l) => lines.push(l),
    });

    expect(report.stages.map((s) => s.name)).toEqual(['warm', 'peak']);
    // Unthrottled, so even a busy machine gets enough requests for every common kind.
    const rows = report.stages.flatMap((stage) => stage.rows);
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['card', 'send']));
    for (const row of rows) {
      expect(row.p50).toBeLessThanOrEqual(row.p90);
      expect(row.p90).toBeLessThanOrEqual(row.p99);
      expect(row.errors).toBe(0);
    }
    // Card pages were warmed, so nearly every view is a cache hit.
    expect(rows.find((r) => r.kind === 'card')?.cacheHitRatio).toBeGreaterThan(0.5);
    expect(rows.filter((r) => r.kind === 'send').some((r) => (r.outcomes['201'] ?? 0) > 0)).toBe(
      true,
    );
    // Each response is booked to the kind that asked for it: sends answer 201, never the 200
    // of a page; pickups of the greetings sent earlier in the run answer 200; compose pages,
    // never cached, carry no X-Cache.
    for (const row of rows.filter((r) => r.kind === 'send')) {
      expect(Object.keys(row.outcomes)).toEqual(['201']);
    }
    expect(rows.some((r) => r.kind === 'pickup' && (r.outcomes['200'] ?? 0) > 0)).toBe(true);
    for (const row of rows.filter((r) => r.kind === 'compose'))
      expect(row.cacheHitRatio).toBeNull();
    expect(report.timeline.length).toBeGreaterThanOrEqual(3);
    expect(report.verdict.pass).toBe(true);
    expect(report.verdict.line).toMatch(/^SLO PASS peak pages [\d.]+ req\/s/);
    expect(lines.at(-1)).toBe(report.verdict.line);

    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('<svg');
    expect(html.match(/<polyline class="series"/g)?.length).toBeGreaterThanOrEqual(6);
    // Self-contained: nothing loaded from anywhere.
    expect(html).not.toMatch(/<script|<link|(src|href)="?https?:/i);

    // The same figures against a threshold they miss, and with a greeting not delivered: FAIL.
    const missed = report.verdict.checks.map((c) => ({ ...c, minRate: 1e9, pass: false }));
    const failed = verdictOf(missed, 0, 0, {
      checked: true,
      accepted: 2,
      delivered: 1,
      waitedSeconds: 1,
    });
    expect(failed.pass).toBe(false);
    expect(failed.line).toMatch(/^SLO FAIL .*>= 1000000000 MISSED.*delivered 1\/2 .*MISSED/);
    expect(verdictOf(report.verdict.checks, 1, 0, report.verdict.delivery).pass).toBe(false);
  });

  it('runs searches, previews and photo sends as a browser makes them, each step booked', async () => {
    const forms: Scenario = {
      name: 'forms',
      description: 'searches and the compose form',
      stages: [
        {
          name: 'peak',
          seconds: 3,
          rate: 40,
          connections: 4,
          mix: { card: 4, search: 2, 'search-rare': 1, preview: 2, photo: 1 },
        },
      ],
      checks: [],
    };
    const { report } = await runScenario({
      target: { url: `http://127.0.0.1:${app.port}`, apiKey: API_KEY },
      scenario: forms,
      slo: {
        pageRate: 0,
        pageP99Ms: 5000,
        sendRate: 0,
        sendP99Ms: 5000,
        maxErrors: 0,
        drainTimeoutSeconds: 1,
      },
      sink: null,
      reportsDir: dir,
      log: () => undefined,
    });
    const outcomes = (kind: string): Record<string, number> => rowsOf(report, kind);
    // The form's GET before each preview and photo is booked as a compose view.
    expect(Object.keys(outcomes('compose'))).toEqual(['200']);
    expect(Object.keys(outcomes('preview'))).toEqual(['200']);
    expect(Object.keys(outcomes('photo'))).toEqual(['303']);
    expect(Object.keys(outcomes('search'))).toEqual(['200']);
    expect(Object.keys(outcomes('search-rare'))).toEqual(['200']);
    expect(report.verdict.errors).toBe(0);
  });

  it('makes partner sites through the console service, finds them on a rerun, and signs members in', async () => {
    await operatorLink(app.config, LOAD_OPERATOR_EMAIL);
    const first = await ensurePartnerSites(app.app, 2);
    const again = await ensurePartnerSites(app.app, 2);
    expect(again.map((s) => s.created)).toEqual([false, false]);
    expect(again.map((s) => s.host)).toEqual(first.map((s) => s.host));
    const host = first[0]?.host ?? '';
    expect(host).toBe('load-site-001.partners.load.example');
    expect((await app.request({ method: 'GET', host, url: '/' })).statusCode).toBe(200);

    const accounts = await ensureMembers(app.app, first, 2);
    // A rerun finds the accounts and their contacts and changes nothing.
    await ensureMembers(app.app, first, 2);
    const url = `http://127.0.0.1:${app.port}`;
    const members = await signInAll(url, API_KEY, accounts);
    expect(members.map((m) => m.cookie.split('=')[0])).toEqual(['ecard_member', 'ecard_member']);
    const member = members[0];
    const history = await app.request({
      method: 'GET',
      host: member?.host ?? '',
      url: '/account/history',
      headers: { cookie: member?.cookie ?? '' },
    });
    // Signed out, the history redirects to the sign-in form: a 200 is the member's own page.
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('Cards you sent');
  });

  it('splits the holiday mix between anonymous visitors and members, flows apart', () => {
    const mix = holidayMix(0.3);
    expect((mix.card ?? 0) + (mix['m-card'] ?? 0)).toBeCloseTo(HOLIDAY_MIX.card ?? 0);
    expect((mix['m-card'] ?? 0) / (HOLIDAY_MIX.card ?? 1)).toBeCloseTo(0.3);
    expect(holidayMix(0)['m-card']).toBeUndefined();
    const split = splitMix(mix);
    expect(Object.keys(split.flows).sort()).toEqual(['m-send', 'photo', 'preview']);
    expect(split.pages.preview).toBeUndefined();
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    expect(split.flowShare).toBeCloseTo(
      ((mix.preview ?? 0) + (mix.photo ?? 0) + (mix['m-send'] ?? 0)) / total,
    );
  });

  it('cuts a ramp into steps from its start rate to its end rate', () => {
    const steps = stageSteps({
      name: 'rise',
      seconds: 9,
      rate: 100,
      rateTo: 900,
      connections: 8,
      mix: MIX,
    });
    expect(steps.reduce((n, s) => n + s.seconds, 0)).toBe(9);
    expect(steps[0]?.rate).toBe(100);
    expect(steps.at(-1)?.rate).toBe(900);
  });
});
