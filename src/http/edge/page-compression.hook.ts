import type { FastifyInstance, FastifyReply } from 'fastify';
import { encodeBody, preferredEncoding } from '../../common/content-encoding.js';
import { addRouteHook } from './route-hooks.js';

/** Below this a compressed page saves less than its headers cost. */
const MIN_BYTES = 1024;

/**
 * Rendered HTML that is not a stored page (forms, private pages, error pages, and a cacheable
 * route's page the page cache did not take up: a search not yet popular) goes compressed to a
 * browser that takes brotli or gzip. Stored pages are compressed by the page cache, once per
 * entry, and static files by the asset routes, once per process; neither is touched here.
 * The platform's own step rather than a compression plugin: a plugin compresses per response,
 * and the page cache must hand out bytes it compressed when it stored them.
 */
export function installPageCompression(fastify: FastifyInstance): void {
  addRouteHook(
    fastify,
    'onSend',
    (route) => !route.url.startsWith('/assets/'),
    (request, reply, payload, done) => {
      // A page the page cache looks after (stored, served or refreshed) is its business.
      if (request.pageCache || typeof payload !== 'string' || !isHtml(reply)) {
        return done(null, payload);
      }
      addVary(reply);
      const encoding = preferredEncoding(request.headers['accept-encoding']);
      if (encoding === null || payload.length < MIN_BYTES || reply.hasHeader('content-encoding')) {
        return done(null, payload);
      }
      const bytes = encodeBody(Buffer.from(payload, 'utf8'), encoding, 'page');
      if (bytes === null) return done(null, payload);
      reply.header('content-encoding', encoding);
      done(null, bytes);
    },
  );
}

function isHtml(reply: FastifyReply): boolean {
  return String(reply.getHeader('content-type') ?? '').startsWith('text/html');
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'Accept-Encoding');
  else if (!/accept-encoding/i.test(String(vary)))
    reply.header('vary', `${String(vary)}, Accept-Encoding`);
}
