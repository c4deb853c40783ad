import type { FastifyReply } from 'fastify';
import type { EdgeChain } from './edge-chain.js';
import { problem } from '../problem.js';
import type { AbuseLimiter } from '../../security/abuse-limiter.js';
import { callerOf } from '../../security/caller.js';

/**
 * On the routes whose policy says they take a private token or signed link
 * (`rateLimit: 'private-link'`). A client that keeps asking for ones that do not exist is
 * guessing: after the hourly allowance of misses it is refused, valid links included, until
 * the window ends, so enumerating tokens costs hours per handful of tries.
 */
export function installLinkGuessingLimit(edge: EdgeChain, limiter: AbuseLimiter): void {
  // Most requests are not private links and pass without a promise.
  edge.onRequest((request, reply) => {
    if (request.routePolicy.rateLimit !== 'private-link') return false;
    const caller = callerOf(request);
    if (caller.apiKey !== null) return false;
    return limiter.pickupBlocked(caller.ip).then((wait) => {
      if (wait !== null) refuse(reply, wait);
    });
  });

  function refuse(reply: FastifyReply, wait: number): void {
    const body = problem(429, 'Too many requests', {
      detail: 'Too many links that do not exist were asked for. Please try again later.',
    });
    void reply
      .code(429)
      .header('Retry-After', String(wait))
      .header('Cache-Control', 'no-store')
      .type('application/problem+json; charset=utf-8')
      .send(JSON.stringify(body));
  }

  edge.onResponse((request, reply) => {
    if (reply.statusCode !== 404 && reply.statusCode !== 403) return;
    if (request.routePolicy.rateLimit !== 'private-link') return;
    const caller = callerOf(request);
    if (caller.apiKey === null) void limiter.pickupMissed(caller.ip);
  });
}
