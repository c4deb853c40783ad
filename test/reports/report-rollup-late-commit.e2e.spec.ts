import { aGreeting } from '../support/factories.js';
import type { DataSource } from 'typeorm';
import { ReportFacts } from '../../src/reports/report-facts.js';
import { hourOf, rollUpReports } from '../../src/reports/report-rollup.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from '../delivery/support/isolated-env.js';

const HOUR_MS = 3_600_000;

/**
 * A fact can commit after a later-numbered one: its transaction took its sequence number
 * first and committed last (a spool drain writing greetings accepted while the primary was
 * away, beside the worker's deliveries). A roll-up running between the two must not lose it,
 * even when its hour is older than the two the roll-up always recomputes.
 */
describe('report roll-up and facts that commit late', () => {
  let env: Record<string, string>;
  let web: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    env = await isolatedEnv('report_late');
    web = await startTestApp(env);
    db = await openTestDb(env.DATABASE_URL);
  }, 30_000);

  afterAll(async () => {
    await web?.close();
    await db?.destroy();
    if (env) await dropIsolatedEnv(env);
  });

  it('counts a fact of an old hour committed after a roll-up saw a later one', async () => {
    const card = await firstCardSlug(web, HOSTS.partner);
    // Due tomorrow: no worker here, and nothing happens to them but what the test records.
    const sendAt = new Date(Date.now() + 24 * HOUR_MS).toISOString().slice(0, 19);
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: aGreeting(card, {
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: [
          { name: 'Late', email: uniqueEmail('late') },
          { name: 'Early', email: uniqueEmail('early') },
        ],
        sendAt: `${sendAt}Z`,
      }),
    });
    expect(res.statusCode).toBe(201);
    const [late, early] = await db.query<{ id: string }[]>(
      'SELECT r.id FROM greeting_recipients r JOIN greetings g ON g.id = r.greeting_id WHERE g.id = ? ORDER BY r.position',
      [res.json<{ id: string }>().id],
    );
    const facts = web.app.get(ReportFacts);
    const now = new Date();
    const oldHour = new Date(hourOf(now).getTime() - 3 * HOUR_MS);

    const slow = db.createQueryRunner();
    await slow.startTransaction();
    try {
      // Numbered first, committed last.
      await facts.record(
        'reminded',
        [late?.id as string],
        new Date(oldHour.getTime() + 60_000),
        slow.manager,
      );
      await facts.record('reminded', [early?.id as string], now);
      await rollUpReports(db.manager, now);
      await slow.commitTransaction();
    } finally {
      await slow.release();
    }
    await rollUpReports(db.manager, now);

    const rows = await db.query<{ value: string }[]>(
      `SELECT value FROM report_hourly WHERE site_id = 'kindred' AND hour = ? AND metric = 'reminded' AND dimension = ''`,
      [oldHour],
    );
    expect(rows.map((r) => Number(r.value))).toEqual([1]);
  });
});
