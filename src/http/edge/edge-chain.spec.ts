import Fastify, { type FastifyInstance } from 'fastify';
import { listenOnLoopback } from '../../../test/support/free-port.js';
import { send } from '../../../test/support/http-client.js';
import { EdgeChain } from './edge-chain.js';

/** The chain on a real Fastify server: what runs, in which order, and what stops it. */
describe('EdgeChain', () => {
  let fastify: FastifyInstance;
  let port: number;
  const ran: string[] = [];
  const elapsed: number[] = [];
  let errorListeners = -1;
  let handled = 0;

  beforeAll(async () => {
    fastify = Fastify();
    const edge = new EdgeChain();
    edge.install(fastify);
    edge.onRequest((request, reply) => {
      errorListeners = reply.raw.listenerCount('error');
      ran.push(`first ${request.routeUrl ?? 'none'}`);
      return false;
    });
    edge.onRequest((request, reply) => {
      ran.push('answering');
      if (request.url !== '/answered') return false;
      void reply.code(203).send('from the edge');
      return true;
    });
    edge.onRequest((request, reply) => {
      if (!request.url.startsWith('/wait')) return false;
      ran.push('waiting');
      return new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
        if (request.url === '/wait-and-answer') void reply.code(429).send('later');
      });
    });
    edge.onRequest((request) => {
      if (request.url === '/broken') throw new Error('a step failed');
      if (request.url === '/wait-and-break') throw new Error('a step after a wait failed');
      ran.push('last');
      return undefined;
    });
    edge.onResponse((_request, reply, elapsedMs) => {
      ran.push(`response ${reply.statusCode}`);
      elapsed.push(elapsedMs);
    });
    // A hook added the ordinary way runs after the whole chain.
    fastify.addHook('onRequest', (_request, _reply, done) => {
      ran.push('plain hook');
      done();
    });
    fastify.get('/*', async () => {
      handled++;
      return 'from the route';
    });
    port = await listenOnLoopback(fastify);
  });
  afterAll(async () => {
    await fastify.close();
  });
  beforeEach(() => {
    ran.length = 0;
    elapsed.length = 0;
    errorListeners = -1;
    handled = 0;
  });

  const get = async (url: string) => {
    const response = await send(port, { method: 'GET', url, host: 'edge.test' });
    // onResponse runs when the response has finished: give it a turn of the event loop.
    await new Promise((r) => setImmediate(r));
    return response;
  };

  it('runs every step in order, then the other hooks and the route', async () => {
    const res = await get('/through');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('from the route');
    expect(ran).toEqual(['first /*', 'answering', 'last', 'plain hook', 'response 200']);
    expect(handled).toBe(1);
  });

  it('stops at a step that answered: no later step, hook or route runs', async () => {
    const res = await get('/answered');
    expect(res.statusCode).toBe(203);
    expect(res.body).toBe('from the edge');
    expect(ran).toEqual(['first /*', 'answering', 'response 203']);
    expect(handled).toBe(0);
  });

  it('waits for a step that returned a promise, then goes on', async () => {
    const res = await get('/wait');
    expect(res.statusCode).toBe(200);
    expect(ran).toEqual(['first /*', 'answering', 'waiting', 'last', 'plain hook', 'response 200']);
    // Timed from the first step: the 20 ms wait is in it.
    expect(elapsed).toHaveLength(1);
    expect(elapsed[0]).toBeGreaterThanOrEqual(19);
  });

  it('does not go on after a waiting step answered', async () => {
    const res = await get('/wait-and-answer');
    expect(res.statusCode).toBe(429);
    expect(res.body).toBe('later');
    expect(ran).toEqual(['first /*', 'answering', 'waiting', 'response 429']);
    expect(handled).toBe(0);
  });

  it('turns a step that throws into an error response, and accounts for it', async () => {
    const res = await get('/broken');
    expect(res.statusCode).toBe(500);
    expect(handled).toBe(0);
    expect(ran.at(-1)).toBe('response 500');
  });

  it('turns a step that throws after another waited into an error response too', async () => {
    const res = await get('/wait-and-break');
    expect(res.statusCode).toBe(500);
    expect(handled).toBe(0);
    expect(ran).toEqual(['first /*', 'answering', 'waiting', 'response 500']);
  });

  it('accounts for an answer from the edge once, as it is written', async () => {
    await get('/answered');
    expect(elapsed).toHaveLength(1);
    expect(elapsed[0]).toBeGreaterThanOrEqual(0);
  });

  it('leaves Fastify no response to watch: it adds no onResponse hook', async () => {
    // With any onResponse hook Fastify adds an error listener to every response.
    await get('/through');
    expect(errorListeners).toBe(0);
  });
});
