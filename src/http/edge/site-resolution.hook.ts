import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EdgeChain } from './edge-chain.js';
import type { SiteViews } from '../../rendering/site-views.js';
import { normaliseHost } from '../../sites/host.js';
import type { SiteRegistry } from '../../sites/site-registry.js';
import { problem } from '../problem.js';

const BAD_HOST = JSON.stringify(
  problem(400, 'Bad request', { detail: 'The Host header is missing, repeated or malformed.' }),
);
const BAD_TARGET = JSON.stringify(
  problem(400, 'Bad request', { detail: 'The request target must be a path.' }),
);
const UNKNOWN_SITE = JSON.stringify(
  problem(404, 'Not found', { detail: 'No site answers to this host.' }),
);

/**
 * Resolves the site from `Host` before routing and decorates it onto the request. The Host
 * header is read directly, never `request.hostname`, which Fastify takes from
 * X-Forwarded-Host when trustProxy is on and would let a client pick the tenant. A request
 * whose target is an absolute URL (which would name a host of its own), or with no, two or a
 * malformed Host, is a 400: a proxy in front might pick a different value than we do.
 */
export function installSiteResolution(
  fastify: FastifyInstance,
  edge: EdgeChain,
  registry: SiteRegistry,
  views: SiteViews,
): void {
  fastify.decorateRequest('site', null);
  const unknownSitePage = views.renderNeutral('pages/unknown-site.njk');

  edge.onRequest((request, reply) => {
    if (request.url.charCodeAt(0) !== 47 /* "/" */) return refuse(reply, 400, BAD_TARGET);
    if (hostHeaderCount(request.raw.rawHeaders) > 1) return refuse(reply, 400, BAD_HOST);
    // Probes and the version answer on any host (`siteless` in their policy). Metrics are not
    // among them: they have a port of their own, and on a site they are an unknown page.
    if (request.routePolicy.siteless === true) return false;
    const raw = request.headers.host;
    const site = registry.resolve(raw);
    if (!site) {
      if (normaliseHost(raw) === null) return refuse(reply, 400, BAD_HOST);
      // Before any route is trusted, the address says whether a script or a browser asks.
      if (request.url.startsWith('/api/') || request.url.startsWith('/admin/')) {
        return refuse(reply, 404, UNKNOWN_SITE);
      }
      void reply
        .code(404)
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(unknownSitePage);
      return true;
    }
    request.site = site;
    return false;
  });
}

function refuse(reply: FastifyReply, status: number, body: string): true {
  void reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(body);
  return true;
}

/** Node keeps the first of repeated Host headers; the raw list shows them all. */
function hostHeaderCount(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') count++;
  }
  return count;
}
