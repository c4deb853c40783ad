import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SiteViews } from '../rendering/site-views.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { applySecurityHeaders } from './security-headers.js';

/** Routes that answer the same on any host (load balancer probes use bare IPs). */
const SITELESS_PREFIXES = ['/health/', '/metrics', '/version'];

/**
 * Resolves the site from `Host` before routing and decorates it onto the request. The Host
 * header is read directly, never `request.hostname`, which Fastify takes from
 * X-Forwarded-Host when trustProxy is on and would let a client pick the tenant.
 */
export function installSiteResolution(
  fastify: FastifyInstance,
  registry: SiteRegistry,
  views: SiteViews,
): void {
  fastify.decorateRequest('site', null);
  const unknownSitePage = views.renderNeutral('pages/unknown-site.njk');

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    applySecurityHeaders(reply);
    if (SITELESS_PREFIXES.some((p) => request.url.startsWith(p))) {
      done();
      return;
    }
    const site = registry.resolve(request.headers.host);
    if (!site) {
      void reply
        .code(404)
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(unknownSitePage);
      return;
    }
    request.site = site;
    done();
  });
}
