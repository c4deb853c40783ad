import { randomUUID } from 'node:crypto';
import { DatabaseService } from '../../src/platform/database/database.service.js';
import { editCard } from '../support/admin-api.js';
import { until } from '../support/until.js';
import { holdCardRowOnReplica } from '../support/replica-lock.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A replica that falls behind the primary leaves the rotation: reads it would answer with rows
 * that old go to the primary until it catches up. The replica is the run's real one, held back
 * by a lock on one card's row while that row is changed on the primary.
 */
describe('a replica behind the primary', () => {
  let app: TestApp;
  let db: DatabaseService;
  let slug: string;

  beforeAll(async () => {
    app = await startTestApp({
      DATABASE_REPLICA_MAX_LAG_MS: '1000',
      PURGE_REPLICA_WAIT_MS: '20000',
      APP_VERSION: `test-${randomUUID()}`,
    });
    db = app.app.get(DatabaseService);
    slug = await firstCardSlug(app, HOSTS.flagship, 'congratulations');
  });
  afterAll(async () => {
    await app.close();
  });

  const replica = () => db.health().find((m) => m.name === 'replica-0');
  const readsFromReplica = () => db.reader() !== db.writer();

  /**
   * Runs `work` while the replica is too far behind: its replication thread held on the card's
   * row, that row changed on the primary, the lag past the limit. Then lets it catch up and
   * puts the row back.
   */
  async function whileReplicaBehind(work: () => Promise<void>): Promise<void> {
    // The run's own writes from other files can hold the shared replica back a little too.
    await until(readsFromReplica, 'reads from the replica', 15_000);
    const lock = await holdCardRowOnReplica(slug);
    const change = 'UPDATE cards SET description = CONCAT(description, ?) WHERE slug = ?';
    try {
      await db.writer().query(change, [' ', slug]);
      await until(() => replica()?.behind === true, 'the replica behind', 5000);
      await work();
    } finally {
      await lock.release();
      await until(
        () => replica()?.behind === false && readsFromReplica(),
        'the replica caught up and reading',
        15_000,
      );
      await db
        .writer()
        .query('UPDATE cards SET description = TRIM(TRAILING FROM description) WHERE slug = ?', [
          slug,
        ]);
    }
  }

  it('serves no reads while it is further behind than allowed, and again once caught up', async () => {
    await whileReplicaBehind(async () => {
      expect(replica()).toMatchObject({ up: true, behind: true });
      expect(replica()?.lagMs).toBeGreaterThan(1000);
      expect(readsFromReplica()).toBe(false);
      const metrics = await app.scrapeMetrics();
      const lag = /^ecard_db_replica_lag_seconds\{store="replica-0"\} ([\d.]+)$/m.exec(metrics);
      expect(Number(lag?.[1])).toBeGreaterThan(1);
      const ready = await app.request({ method: 'GET', url: '/health/ready', host: 'localhost' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json<{ checks: Record<string, string> }>().checks).toMatchObject({
        'database.primary': 'up',
        'database.replica-0': 'behind',
      });
    });
    expect(replica()?.lagMs).toBeLessThanOrEqual(1000);
    expect(readsFromReplica()).toBe(true);
  });

  it('purges an edit at once while the replica is too far behind, and again once it catches up', async () => {
    const page = async () =>
      (await app.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.flagship })).body;
    const title = /<h1[^>]*>([^<]+)<\/h1>/.exec(await page())?.[1]?.trim() ?? '';
    expect(title.length).toBeGreaterThan(0);
    const edit = (cardTitle: string) => editCard(app, slug, { title: cardTitle });
    const mark = Date.now().toString(36);
    try {
      await whileReplicaBehind(async () => {
        // The replica serves nothing now, so the purge does not wait the 20 s for it.
        const started = Date.now();
        expect((await edit(`${title} ${mark}`)).statusCode).toBe(200);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(await page()).toContain(mark);
      });
      expect(await page()).toContain(mark);
    } finally {
      expect((await edit(title)).statusCode).toBe(200);
    }
  });
});
