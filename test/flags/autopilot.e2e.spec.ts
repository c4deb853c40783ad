import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { ADMIN, type FlagsBody, flagNamespace, flagOf, SITES } from './support.js';

const SHEDDABLE = [
  'senderOpenNotifications',
  'viewCounters',
  'animatedPreviews',
  'partnerPromotions',
  'relatedCards',
  'featuredCards',
];

/**
 * The autopilot of a real app, under real event-loop lag: this test blocks the loop of its own
 * process (where the app runs) with busy work, as a CPU-bound burst would.
 */
describe('autopilot', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      FLAGS_NAMESPACE: flagNamespace('autopilot'),
      AUTOPILOT_ENABLED: 'true',
      AUTOPILOT_INTERVAL_MS: '100',
      AUTOPILOT_LAG_LIMIT_MS: '80',
      AUTOPILOT_RESTORE_AFTER_MS: '300',
      AUTOPILOT_QUEUE_POLL_MS: '500',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const status = async () =>
    (
      await t.request({
        method: 'GET',
        url: `/admin/api/flags?site=${SITES.partner}`,
        host: HOSTS.flagship,
        headers: ADMIN,
      })
    ).json<FlagsBody>();

  async function waitFor(check: (body: FlagsBody) => boolean, limitMs: number): Promise<FlagsBody> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const body = await status();
      if (check(body) || Date.now() > deadline) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('sheds in the declared order under event-loop lag and restores after', async () => {
    const slug = await firstCardSlug(t, HOSTS.partner, 'birthday');
    const calm = await waitFor((b) => b.autopilot.shed.length === 0, 5000);
    expect(calm.autopilot.shed).toEqual([]);
    expect(
      (await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner })).body,
    ).toContain('You might also like');

    // Bursts of 150 ms of busy work with short gaps: p99 lag far above the 80 ms limit.
    const burner = setInterval(() => {
      const until = Date.now() + 150;
      while (Date.now() < until) {
        // busy
      }
    }, 10);
    let shed: FlagsBody;
    try {
      shed = await waitFor((b) => b.autopilot.shed.length === SHEDDABLE.length, 15_000);
    } finally {
      clearInterval(burner);
    }
    expect(shed.autopilot.shed).toEqual(SHEDDABLE);
    for (const key of SHEDDABLE) {
      expect(shed.items.find((i) => i.key === key)).toMatchObject({
        value: false,
        source: 'autopilot',
      });
    }
    // Browsing, sending and pickup are never shed.
    expect(shed.items.find((i) => i.key === 'sending')?.value).toBe(true);
    expect(shed.items.find((i) => i.key === 'scheduledSending')?.value).toBe(true);
    const lean = await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    expect(lean.statusCode).toBe(200);
    expect(lean.body).not.toContain('You might also like');

    const restored = await waitFor((b) => b.autopilot.shed.length === 0, 15_000);
    expect(restored.autopilot.shed).toEqual([]);
    expect(
      flagOf(
        await t.request({
          method: 'GET',
          url: `/admin/api/flags?site=${SITES.partner}`,
          host: HOSTS.flagship,
          headers: ADMIN,
        }),
        'relatedCards',
      ),
    ).toEqual({
      value: true,
      source: 'default',
    });
    expect(
      (await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner })).body,
    ).toContain('You might also like');

    const metrics = await t.scrapeMetrics();
    expect(metrics).toMatch(
      /ecard_autopilot_decisions_total\{action="shed",flag="relatedCards"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /ecard_autopilot_decisions_total\{action="restore",flag="relatedCards"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /ecard_flag_evaluations_total\{flag="relatedCards",source="autopilot"\} [1-9]/,
    );
  }, 45_000);
});
