import type { FastifyInstance } from 'fastify';
import { problem } from '../http/problem.js';
import type { AbuseLimiter } from './abuse-limiter.js';

/**
 * Routes that take a private token or signed link. A client that keeps asking for ones that do
 * not exist is guessing: after the hourly allowance of misses it is refused, valid links
 * included, until the window ends, so enumerating tokens costs hours per handful of tries.
 */
const PRIVATE_LINK = /^\/(?:p|unsubscribe|manage|sent)\/|^\/api\/greetings\/[^/?]/;

export function installLinkGuessingLimit(fastify: FastifyInstance, limiter: AbuseLimiter): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!PRIVATE_LINK.test(request.url) || !request.caller || request.caller.apiKey) return;
    const wait = await limiter.pickupBlocked(request.caller.ip);
    if (wait === null) return;
    const body = problem(429, 'Too many requests', {
      detail: 'Too many links that do not exist were asked for. Please try again later.',
    });
    return reply
      .code(429)
      .header('Retry-After', String(wait))
      .header('Cache-Control', 'no-store')
      .type('application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const counts =
      (reply.statusCode === 404 || reply.statusCode === 403) &&
      PRIVATE_LINK.test(request.url) &&
      request.caller !== null &&
      request.caller.apiKey === null;
    if (counts && request.caller) void limiter.pickupMissed(request.caller.ip);
    done();
  });
}
