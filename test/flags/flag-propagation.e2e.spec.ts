import type { DataSource } from 'typeorm';
import { openTestDb } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { flagNamespace, flagOf } from './support.js';

const TOKEN = 'a-strong-admin-token-shared-by-both-processes-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function waitUntilLive(port: number): Promise<void> {
  // Generous: a web process compiles its TypeScript at start, slow on a busy machine.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const res = await send(port, { method: 'GET', url: '/health/live', host: 'localhost' });
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`web process on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Two real web processes sharing MariaDB and Redis, as in production. */
describe('a flag flipped on one process', () => {
  const namespace = flagNamespace('propagation');
  let a: { port: number; web: WebProcess };
  let b: { port: number; web: WebProcess };
  let db: DataSource;

  beforeAll(async () => {
    const env = {
      ADMIN_TOKEN: TOKEN,
      FLAGS_NAMESPACE: namespace,
      // Longer than the 1 s target, so a pass shows the broadcast did it, not the resync.
      FLAGS_RESYNC_MS: '2500',
      QUEUE_DASHBOARD: 'false',
    };
    const [pa, pb] = [await freePort(), await freePort()];
    a = { port: pa, web: startWebProcess(pa, env) };
    b = { port: pb, web: startWebProcess(pb, env) };
    db = await openTestDb();
    await Promise.all([waitUntilLive(pa), waitUntilLive(pb)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a.web.stop(), b.web.stop()]);
    await db.destroy();
  });

  const flags = (port: number, headers: Record<string, string> = AUTH) =>
    send(port, { method: 'GET', url: '/admin/api/flags', host: HOSTS.flagship, headers });

  async function seesWithin(
    port: number,
    key: string,
    value: boolean,
    limitMs: number,
  ): Promise<number> {
    const started = Date.now();
    for (;;) {
      const elapsed = Date.now() - started;
      if (flagOf(await flags(port), key).value === value) return elapsed;
      if (elapsed > limitMs) return elapsed;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('needs the admin token on both', async () => {
    expect((await flags(a.port, {})).statusCode).toBe(401);
    expect((await flags(b.port, {})).statusCode).toBe(401);
    expect(
      (await flags(b.port, { authorization: 'Bearer development-only-admin-token' })).statusCode,
    ).toBe(401);
  });

  it('is reported with its new value by the other within 1,000 ms', async () => {
    const timings: number[] = [];
    for (const value of [false, true, false, true, false]) {
      const started = Date.now();
      const res = await send(a.port, {
        method: 'PUT',
        url: '/admin/api/flags/relatedCards',
        host: HOSTS.flagship,
        headers: AUTH,
        payload: { value, reason: 'propagation test' },
      });
      expect(res.statusCode).toBe(200);
      const seen = await seesWithin(b.port, 'relatedCards', value, 3000);
      timings.push(Date.now() - started);
      expect(seen).toBeLessThanOrEqual(1000);
    }
    console.log(`PUT on A -> seen on B (ms): ${timings.join(', ')}`);
    expect(Math.max(...timings)).toBeLessThanOrEqual(1000);
  });

  it('heals by resync when a change was never broadcast', async () => {
    // Written behind the processes' backs: no message on the bus, only the periodic reload.
    await db.query(
      `INSERT INTO feature_flag_overrides (namespace, flag_key, site_id, value, percentage, updated_at, updated_by)
       VALUES (?, 'featuredCards', '', 0, NULL, NOW(3), 'test')`,
      [namespace],
    );
    const seen = await Promise.all([
      seesWithin(a.port, 'featuredCards', false, 8000),
      seesWithin(b.port, 'featuredCards', false, 8000),
    ]);
    console.log(
      `unbroadcast change seen on A, B after ${seen.join(', ')} ms (resync every 2500 ms)`,
    );
    expect(Math.max(...seen)).toBeLessThanOrEqual(2500 + 500);
    expect(flagOf(await flags(a.port), 'featuredCards')).toEqual({
      value: false,
      source: 'global-override',
    });
  });
});
