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
  addRouteHook(fastify, 'onSend', concerns, async (request, reply, payload) => {
    if (reply.statusCode === 404) await budget.missed(clientOf(request));
    return payload;
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
