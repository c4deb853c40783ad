import { createServer, type Server, type Socket } from 'node:net';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { freePort } from '../support/free-port.js';
import { HOSTS, startTestApp } from '../support/test-app.js';

interface Ready {
  status: string;
  details: Record<string, { status: string; breaker?: string }>;
  checks: Record<string, string>;
}

const until = async (what: () => Promise<boolean>, timeoutMs = 8000): Promise<number> => {
  const start = Date.now();
  while (!(await what())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
};

/** A host that accepts connections and never answers: the store is hung, not refused. */
async function blackHole(): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server, sockets };
}

describe('health and circuit breakers', () => {
  it('reports every store up, and liveness on any host', async () => {
    const t = await startTestApp();
    try {
      const live = await t.request({ method: 'GET', url: '/health/live', host: 'x' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toMatchObject({ status: 'ok' });
      const ready = await t.request({ method: 'GET', url: '/health/ready', host: 'x' });
      expect(ready.statusCode).toBe(200);
      const body = ready.json<Ready>();
      expect(body.status).toBe('ok');
      expect(body.details.pages?.status).toBe('up');
      expect(body.details.primary).toEqual({ status: 'up', breaker: 'closed' });
      expect(body.details['replica:127.0.0.1:23072']).toEqual({ status: 'up', breaker: 'closed' });
      expect(body.details.redis).toEqual({ status: 'up', breaker: 'closed' });
    } finally {
      await t.close();
    }
  });

  it('stays ready (200, degraded) with the replica and Redis gone, breakers open in metrics', async () => {
    const [deadReplica, deadRedis] = await Promise.all([freePort(), freePort()]);
    const t = await startTestApp({
      DATABASE_REPLICA_URLS: `mysql://ecard@127.0.0.1:${deadReplica}/ecard_gone`,
      REDIS_URL: `redis://127.0.0.1:${deadRedis}`,
    });
    try {
      const ready = () => t.request({ method: 'GET', url: '/health/ready', host: 'x' });
      await until(async () => (await ready()).json<Ready>().details.redis?.breaker === 'open');
      const res = await ready();
      expect(res.statusCode).toBe(200);
      const body = res.json<Ready>();
      expect(body.status).toBe('degraded');
      expect(body.details[`replica:127.0.0.1:${deadReplica}`]).toEqual({
        status: 'degraded',
        breaker: 'open',
      });
      expect(body.details.primary?.status).toBe('up');
      expect(body.checks).toMatchObject({ 'database.replica-0': 'down', redis: 'down' });
      const page = await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
      expect(page.statusCode).toBe(200);
      const metrics = await t.scrapeMetrics();
      expect(metrics).toContain('ecard_dependency_breaker_state{dependency="redis"} 2');
      expect(metrics).toContain('ecard_dependency_up{dependency="primary"} 1');
    } finally {
      await t.close();
    }
  });

  it('answers 503 only when no database server can build a page', async () => {
    const [deadPrimary, deadReplica] = await Promise.all([freePort(), freePort()]);
    const t = await startTestApp({
      DATABASE_URL: `mysql://ecard@127.0.0.1:${deadPrimary}/ecard_gone`,
      DATABASE_REPLICA_URLS: `mysql://ecard@127.0.0.1:${deadReplica}/ecard_gone`,
    });
    try {
      const res = await t.request({ method: 'GET', url: '/health/ready', host: 'x' });
      expect(res.statusCode).toBe(503);
      expect(res.json<Ready>()).toMatchObject({
        status: 'error',
        details: { pages: { status: 'down' } },
      });
    } finally {
      await t.close();
    }
  });

  it('fails fast on a hung primary once its breaker is open', async () => {
    const hole = await blackHole();
    const t = await startTestApp({
      DATABASE_URL: `mysql://ecard@127.0.0.1:${hole.port}/ecard_gone`,
    });
    try {
      const ready = () => t.request({ method: 'GET', url: '/health/ready', host: 'x' });
      await until(async () => (await ready()).json<Ready>().details.primary?.breaker === 'open');
      // The confirmation page reads the primary: without the breaker each request would wait
      // for the 2 s connect timeout of a server that never answers.
      const id = '01234567-89ab-4def-8123-456789abcdef';
      const signature = t.app.get(SignedLinks).sign('confirm', id);
      const started = Date.now();
      const res = await t.request({
        method: 'GET',
        url: `/sent/${id}?s=${signature}`,
        host: HOSTS.flagship,
      });
      expect(Date.now() - started).toBeLessThan(500);
      expect(res.statusCode).toBe(503);
    } finally {
      await t.close();
      for (const socket of hole.sockets) socket.destroy();
      hole.server.close();
    }
  });
});
