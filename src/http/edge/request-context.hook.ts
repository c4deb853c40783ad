import type { FastifyInstance } from 'fastify';
import { runAs } from '../../platform/observability/request-context.js';
import { addRouteHook } from './route-hooks.js';

/** Site id of a request no site claimed (siteless routes such as /health). */
const NO_SITE = '-';

/**
 * Enters the request's context (id and site, see request-context.ts) where a request goes on
 * to its route, so every line a controller, service or repository logs says which request it
 * serves. A route-level hook, not part of the edge: a page-cache hit is answered before
 * routing and pays nothing for it. `preValidation` is the first step after the body is read
 * (the body arrives in socket callbacks, outside any context); it is installed before the
 * other route hooks so that their lines carry the id too.
 */
export function installRequestContext(fastify: FastifyInstance): void {
  addRouteHook(
    fastify,
    'preValidation',
    () => true,
    function enterRequestContext(request, _reply, done) {
      runAs({ requestId: request.id, site: request.site?.id ?? NO_SITE }, done);
    },
  );
}
