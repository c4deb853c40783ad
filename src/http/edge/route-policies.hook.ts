import type { FastifyInstance, RouteOptions } from 'fastify';
import { policyOf } from './route-policy.js';

/** Paths that are the administration's: every route under them must say how it is guarded. */
const ADMIN_PREFIX = /^\/admin(?:\/|$)/;

/**
 * Applies what the server itself enforces per route (the body limit) as routes are registered,
 * and refuses to start when a route under /admin declares no admin policy: a new admin route
 * is never left to the URL or to a controller's guard alone. The check waits for `ready`, so
 * routes whose policy a plugin sets (the queue dashboard) are checked with it.
 */
export function installRoutePolicies(fastify: FastifyInstance): void {
  const adminRoutes: RouteOptions[] = [];
  fastify.addHook('onRoute', (route) => {
    const policy = policyOf(route);
    if (policy.bodyLimit !== undefined && route.bodyLimit === undefined) {
      route.bodyLimit = policy.bodyLimit;
    }
    if (ADMIN_PREFIX.test(route.url ?? '')) adminRoutes.push(route);
  });
  fastify.addHook('onReady', (done) => {
    const unguarded = adminRoutes.filter((route) => policyOf(route).admin === undefined);
    if (unguarded.length === 0) {
      done();
      return;
    }
    const names = unguarded.map((route) => `${String(route.method)} ${route.url ?? ''}`);
    done(
      new Error(
        `Admin routes without an admin @RoutePolicy: ${names.join(', ')}. Declare one (ADMIN_PAGE, ADMIN_API or ADMIN_SIGN_IN).`,
      ),
    );
  });
}
