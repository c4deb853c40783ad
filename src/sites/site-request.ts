import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Site } from './site.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved from Host by the site hook before routing; null only on site-less routes. */
    site: Site | null;
  }
}

/**
 * The request's site, set by the onRequest hook. A parameter decorator rather than a
 * request-scoped provider, which would rebuild the provider graph for every request.
 */
export const CurrentSite = createParamDecorator((_data: unknown, ctx: ExecutionContext): Site =>
  siteOf(ctx.switchToHttp().getRequest()),
);

/** The site of a request on a route that needs one; the site hook answers the others. */
export function siteOf(request: FastifyRequest): Site {
  if (!request.site) throw new Error('route needs a site but none was resolved');
  return request.site;
}
