import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from './support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startWorker, type WorkerProcess } from './support/worker-process.js';

/**
 * The test stops and restarts a Redis of its own, so it needs the server binary even where the
 * shared services run elsewhere. Without it the test fails: a skipped restart test would let a
 * run pass without ever checking that sends survive Redis going away.
 */
function findRedisServer(): string {
  // Debian installs it in /usr/bin, some distributions in /usr/sbin, which is often not on PATH.
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  throw new Error(
    'redis-server not found on PATH or in /usr/sbin: this test runs its own Redis to restart it. ' +
      'Install Redis 7+ (Debian/Ubuntu: apt-get install redis-server).',
  );
}

/** A Redis of this test's own, so stopping it disturbs no other test running in parallel. */
async function startRedis(redisServer: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    redisServer,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const { Redis } = await import('ioredis');
  const until = Date.now() + 5000;
  for (;;) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const ok = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (ok) return child;
    if (Date.now() > until) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('delivery across a Redis restart', () => {
  let redisServer: string;
  let sink: SmtpSink;
  let web: TestApp;
  let worker: WorkerProcess;
  let db: DataSource;
  let base: Record<string, string>;
  let redis: ChildProcess;
  let port: number;
  let card: string;

  beforeAll(async () => {
    redisServer = findRedisServer();
    port = await freePort();
    redis = await startRedis(redisServer, port);
    base = await isolatedEnv('redis_restart');
    sink = await startSmtpSink();
    const env: Record<string, string> = {
      ...base,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      SMTP_URL: sink.url,
    };
    web = await startTestApp(env);
    worker = await startWorker(env);
    db = await openTestDb(env.DATABASE_URL);
    card = await firstCardSlug(web, HOSTS.flagship);
  });

  // Tolerates a setup that stopped early (no redis-server), so its error is the one reported.
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await worker?.exited;
    await web?.close();
    await db?.destroy();
    await sink?.close();
    if (base) await dropIsolatedEnv(base);
    redis?.kill('SIGKILL');
  });

  const send = async (address: string): Promise<number> => {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: uniqueEmail('ann') },
        recipients: [{ name: 'Bo', email: address }],
        message: 'Hello',
      },
    });
    return res.statusCode;
  };

  it('accepts sends while Redis is down and delivers them once it is back', async () => {
    const before = uniqueEmail('before');
    expect(await send(before)).toBe(201);
    await sink.waitFor((all) => all.some((m) => m.to.includes(before)));

    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const during = uniqueEmail('during');
    // The send is durable in MariaDB; the web process does not need Redis to accept it.
    expect(await send(during)).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.received.some((m) => m.to.includes(during))).toBe(false);

    redis = await startRedis(redisServer, port);
    await sink.waitFor((all) => all.some((m) => m.to.includes(during)), 20_000);
    const after = uniqueEmail('after');
    expect(await send(after)).toBe(201);
    await sink.waitFor((all) => all.some((m) => m.to.includes(after)), 20_000);
    for (const address of [before, during, after]) {
      expect(sink.received.filter((m) => m.to.includes(address))).toHaveLength(1);
    }
  });
});
