import type { DataSource } from 'typeorm';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from './support/isolated-env.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { startWorker, type WorkerProcess } from './support/worker-process.js';

describe('delivery across a Redis restart', () => {
  let sink: SmtpSink;
  let web: TestApp;
  let worker: WorkerProcess;
  let db: DataSource;
  let base: Record<string, string>;
  // A Redis of this test's own, so stopping it disturbs no other test running in parallel.
  let redis: RedisServer;
  let card: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    base = await isolatedEnv('redis_restart');
    sink = await startSmtpSink();
    const env: Record<string, string> = {
      ...base,
      REDIS_URL: redis.url,
      REDIS_CACHE_URL: redis.url,
      SMTP_URL: sink.url,
    };
    web = await startTestApp(env);
    worker = await startWorker(env);
    db = await openTestDb(env.DATABASE_URL);
    card = await firstCardSlug(web, HOSTS.flagship);
  });

  afterAll(async () => {
    worker.kill('SIGTERM');
    await worker.exited;
    await web.close();
    await db.destroy();
    await sink.close();
    await dropIsolatedEnv(base);
    await redis.stop();
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
        message: 'Hello across a Redis restart',
      },
    });
    return res.statusCode;
  };

  it('accepts sends while Redis is down and delivers them once it is back', async () => {
    const before = uniqueEmail('before');
    expect(await send(before)).toBe(201);
    await sink.waitFor((all) => all.some((m) => m.to.includes(before)));

    redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    const during = uniqueEmail('during');
    // The send is durable in MariaDB; the web process does not need Redis to accept it.
    expect(await send(during)).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.received.some((m) => m.to.includes(during))).toBe(false);

    await redis.restart();
    await sink.waitFor((all) => all.some((m) => m.to.includes(during)), 20_000);
    const after = uniqueEmail('after');
    expect(await send(after)).toBe(201);
    await sink.waitFor((all) => all.some((m) => m.to.includes(after)), 20_000);
    for (const address of [before, during, after]) {
      expect(sink.received.filter((m) => m.to.includes(address))).toHaveLength(1);
    }
  });
});
