import { createConnection } from 'mysql2/promise';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { seedCatalog } from '../../src/seed/seed-catalog.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import {
  firstCardSlug,
  HOSTS,
  startTestApp,
  testConfig,
  type TestApp,
} from '../support/test-app.js';

interface Sent {
  recipients: { pickupUrl: string }[];
}

/**
 * A replica as far behind as a replica can be: a database with the same schema and catalog
 * that never receives this run's greetings. Pointing the app's replica URL at it shows which
 * server each read went to, with nothing shared stopped or slowed.
 */
async function laggingReplica(): Promise<string> {
  const url = new URL(testConfig().database.primaryUrl);
  const name = `${url.pathname.slice(1)}_lag`;
  const server = await createConnection({ ...serverOf(url) });
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.query(`CREATE DATABASE \`${name}\``);
  await server.end();
  url.pathname = `/${name}`;
  const db = createDataSource({ url: url.toString(), poolSize: 2, name: 'lag' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedCatalog(db);
  await db.destroy();
  return url.toString();
}

function serverOf(url: URL): { host: string; port: number; user: string; password: string } {
  return {
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

describe('read-your-writes on a lagging replica', () => {
  let lagUrl: string;
  let app: TestApp;
  let onlyReplica: TestApp;
  let card: string;

  beforeAll(async () => {
    lagUrl = await laggingReplica();
    [app, onlyReplica] = await Promise.all([
      startTestApp({ DATABASE_REPLICA_URLS: lagUrl }),
      // Writes into the "replica" database only, to make rows the primary does not have.
      startTestApp({ DATABASE_URL: lagUrl, DATABASE_REPLICA_URLS: lagUrl }),
    ]);
    card = await firstCardSlug(app, HOSTS.flagship);
  });
  afterAll(async () => {
    await Promise.all([app.close(), onlyReplica.close()]);
    const url = new URL(lagUrl);
    const server = await createConnection({ ...serverOf(url) });
    await server.query(`DROP DATABASE IF EXISTS \`${url.pathname.slice(1)}\``);
    await server.end();
  });

  const send = async (via: TestApp, message: string): Promise<string> => {
    const res = await via.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bob', email: uniqueEmail('bob') }],
        message,
      },
    });
    expect(res.statusCode).toBe(201);
    return new URL(res.json<Sent>().recipients[0]?.pickupUrl ?? '').pathname;
  };

  it('opens a pickup right after the send although the replica does not have it yet', async () => {
    const pickup = await send(app, 'Opened at once');
    const res = await app.request({ method: 'GET', url: pickup, host: HOSTS.flagship });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Opened at once');
    const primary = await openTestDb();
    const lag = await openTestDb(lagUrl);
    try {
      const id = pickup.slice(3, 25);
      expect(
        await countRows(lag, 'SELECT COUNT(*) AS n FROM greeting_recipients WHERE id = ?', [id]),
      ).toBe(0);
      expect(
        await countRows(primary, 'SELECT COUNT(*) AS n FROM greeting_recipients WHERE id = ?', [
          id,
        ]),
      ).toBe(1);
    } finally {
      await Promise.all([primary.destroy(), lag.destroy()]);
    }
  });

  it('reads other pickups from the replica', async () => {
    // This greeting exists only in the replica's database: a 200 means the replica answered.
    const pickup = await send(onlyReplica, 'Only the replica has me');
    const res = await app.request({ method: 'GET', url: pickup, host: HOSTS.flagship });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Only the replica has me');
  });

  it('still says 404 for a signed link whose greeting exists nowhere', async () => {
    const token = app.app.get(SignedLinks).pickupToken('AAAAAAAAAAAAAAAAAAAAAA');
    const res = await app.request({ method: 'GET', url: `/p/${token}`, host: HOSTS.flagship });
    expect(res.statusCode).toBe(404);
  });
});
