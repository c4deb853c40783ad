import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken } from '../http/admin-token.js';
import { problem } from '../http/problem.js';
import type { AppLogger } from '../platform/observability/logger.js';
import type { AbuseLimiter } from './abuse-limiter.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One gate in front of every /admin route, present or future (API, pages, the queue dashboard),
 * before Nest's router: never cached, refused on hosts whose site does not allow admin (partners
 * by default), refused after too many failed credentials from one client, and the credential
 * checked in constant time. Changes are written to the log as audit lines. Controllers keep
 * their own guard as a second line.
 */
export function installAdminGate(
  fastify: FastifyInstance,
  options: { adminToken: string; limiter: AbuseLimiter; logger: AppLogger },
): void {
  const token = new AdminToken(options.adminToken);
  const { limiter, logger } = options;

  fastify.addHook('onRequest', async (request, reply) => {
    if (!isAdminRequest(request)) return;
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Robots-Tag', 'noindex');
    const ip = request.caller?.ip ?? request.ip;
    if (!request.site?.allowAdmin) {
      return refuse(reply, 403, 'Forbidden', 'Administration is not available on this host.');
    }
    const wait = await limiter.adminBlocked(ip);
    if (wait !== null) {
      reply.header('Retry-After', String(wait));
      return refuse(reply, 429, 'Too many requests', 'Too many failed admin credentials.');
    }
    if (!token.accepts(request.headers.authorization)) {
      await limiter.adminFailed(ip);
      logger.warn(
        { audit: 'admin', requestId: request.id, ip, outcome: 'refused' },
        'admin refused',
      );
      reply.header('WWW-Authenticate', 'Bearer');
      return refuse(reply, 401, 'Unauthorized', 'A valid admin token is required.');
    }
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    if (!READ_METHODS.has(request.method) && isAdminRequest(request) && reply.statusCode < 400) {
      logger.info(
        {
          audit: 'admin',
          requestId: request.id,
          ip: request.caller?.ip ?? request.ip,
          site: request.site?.id,
          method: request.method,
          path: request.url.split('?', 1)[0],
          status: reply.statusCode,
        },
        'admin change',
      );
    }
    done();
  });
}

/**
 * By the matched route and by the path as the router will decode it, so `/%61dmin/...`,
 * `/Admin` or `//admin` cannot slip past the prefix test.
 */
export function isAdminRequest(request: FastifyRequest): boolean {
  if (request.routeOptions.url?.startsWith('/admin')) return true;
  const path = request.url.split('?', 1)[0] ?? '';
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Undecodable paths match no route; the raw form is checked below.
  }
  const normal = decoded.toLowerCase().replace(/\/{2,}/g, '/');
  return normal === '/admin' || normal.startsWith('/admin/') || normal.startsWith('/admin?');
}

function refuse(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem(status, title, { detail })));
}
