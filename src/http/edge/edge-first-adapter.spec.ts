import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { listenOnLoopback } from '../../../test/support/free-port.js';
import { send } from '../../../test/support/http-client.js';
import { EdgeChain } from './edge-chain.js';
import { edgeFirstAdapter } from './edge-first-adapter.js';

/**
 * `edgeFirstAdapter` relies on how Nest's Fastify adapter builds itself (it adds its own hooks
 * in its constructor, right after `setInstance`). That is no public API: this test fails on
 * any upgrade of @nestjs/platform-fastify, so the patch is looked at again before it ships.
 */
const CHECKED_AGAINST = '12.5.0';

describe('the edge-first adapter', () => {
  it('was checked against the installed @nestjs/platform-fastify', () => {
    const manifest = createRequire(import.meta.url).resolve(
      '@nestjs/platform-fastify/package.json',
    );
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    if (version !== CHECKED_AGAINST) {
      throw new Error(
        `@nestjs/platform-fastify is ${version}, edge-first-adapter.ts was checked against ${CHECKED_AGAINST}: ` +
          'check that the adapter still adds its hooks in setInstance (test/e2e/edge-order.e2e.spec.ts), then update CHECKED_AGAINST.',
      );
    }
  });

  it('runs the edge before the adapter’s own onRequest hooks and adds no onResponse hook', async () => {
    const order: string[] = [];
    const edge = new EdgeChain();
    edge.onRequest(() => {
      order.push('edge');
      return false;
    });
    const adapter = edgeFirstAdapter({ logger: false }, edge);
    adapter.setOnRequestHook((_request, _reply, done) => {
      order.push('adapter');
      done();
    });
    const fastify = adapter.getInstance();
    let errorListeners = -1;
    fastify.get('/', (_request, reply) => {
      errorListeners = reply.raw.listenerCount('error');
      return 'ok';
    });
    try {
      const res = await send(await listenOnLoopback(fastify), {
        method: 'GET',
        url: '/',
        host: 'localhost',
      });
      expect(res.statusCode).toBe(200);
      expect(order).toEqual(['edge', 'adapter']);
      expect(errorListeners).toBe(0);
      expect(() => adapter.setOnResponseHook((_request, _reply, done) => done())).toThrow(
        /EdgeChain onResponse/,
      );
    } finally {
      await fastify.close();
    }
  });
});
