import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { callerOf } from '../../security/caller.js';
import type { CatalogMissBudget } from '../../security/catalog-miss-budget.js';
import { problem } from '../problem.js';
import { addRouteHook } from './route-hooks.js';
import { policyOf } from './route-policy.js';

const TOO_MANY = JSON.stringify(
  problem(429, 'Too many requests', {
    detail: 'Too many cards or pages that do not exist were asked for. Please try again later.',
  }),
);

/** The identity a budget is kept for: the API key's holder, else the client's address. */
function clientOf(request: FastifyRequest): string {
  const caller = callerOf(request);
  return caller.apiKey === null ? caller.ip : `key:${caller.apiKey}`;
}

/**
 * On the routes whose policy says `rateLimit: 'catalog-lookup'` only (a page-cache hit never
 * gets here): a client over budget is
 * refused before its lookup, and a 404 counts against its budget before it is sent, so the
 * next request already sees the count.
 */
export function installCatalogMissBudget(
  fastify: FastifyInstance,
  budget: CatalogMissBudget,
): void {
  const concerns = (route: RouteOptions) => policyOf(route).rateLimit === 'catalog-lookup';
  addRouteHook(fastify, 'preHandler', concerns, (request, reply, done) => {
    const wait = budget.blocked(clientOf(request));
    if (wait === null) {
      done();
      return;
    }
    refuse(reply, wait);
  });
  // A callback hook, not an async one: a found page goes out at once, where an async hook made
  // every card page wait for a promise and a microtask hop before it was written.
  addRouteHook(fastify, 'onSend', concerns, (request, reply, payload, done) => {
    if (reply.statusCode !== 404) {
      done(null, payload);
      return;
    }
    budget.missed(clientOf(request)).then(
      () => done(null, payload),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

function refuse(reply: FastifyReply, wait: number): void {
  void reply
    .code(429)
    .header('Retry-After', String(wait))
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(TOO_MANY);
}
