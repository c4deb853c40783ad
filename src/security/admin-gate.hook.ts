import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken, BASIC_ADMIN_CHALLENGE, presentedCredential } from '../http/admin-token.js';
import type { EdgeChain } from '../http/edge-chain.js';
import { problem } from '../http/problem.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import type { AppLogger } from '../platform/observability/logger.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { AbuseLimiter } from './abuse-limiter.js';
import { callerOf } from './client-identity.hook.js';
import { refusedAsCrossSite, requestSource } from './origin-check.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route checks the origin and a form token of its own, which only the admin's page
     * can carry, and answers a refusal with a page of its own: the gate leaves the origin to it.
     */
    checksAdminFormToken?: boolean;
  }
}

/** For `@RouteConfig(...)` on an admin form's handler; see `checksAdminFormToken`. */
export const CHECKS_ADMIN_FORM_TOKEN = { checksAdminFormToken: true } as const;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One gate in front of every /admin route, present or future (API, pages, the queue dashboard),
 * before Nest's router: never cached, refused on hosts whose site does not allow admin (partners
 * by default), refused after too many failed credentials from one client, and the credential
 * checked in constant time. Changes are written to the log as audit lines. Controllers keep
 * their own guard as a second line.
 */
export function installAdminGate(
  edge: EdgeChain,
  options: {
    adminToken: string;
    limiter: AbuseLimiter;
    logger: AppLogger;
    registry: SiteRegistry;
  },
): void {
  const token = new AdminToken(options.adminToken);
  const { limiter, logger, registry } = options;

  // Every request but a cache hit passes this gate: only admin requests pay for a promise.
  edge.onRequest((request, reply) => (isAdminRequest(request) ? guard(request, reply) : false));

  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Robots-Tag', 'noindex');
    reply.header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY);
    const ip = callerOf(request).ip;
    if (!request.site?.allowAdmin) {
      return refuse(reply, 403, 'Forbidden', 'Administration is not available on this host.');
    }
    const wait = await limiter.adminBlocked(ip);
    if (wait !== null) {
      reply.header('Retry-After', String(wait));
      return refuse(reply, 429, 'Too many requests', 'Too many failed admin credentials.');
    }
    const api = isApiPath(request.url);
    if (!token.accepts(request.headers.authorization, api ? ['bearer'] : ['bearer', 'basic'])) {
      // Only a presented credential is a guess: a browser's first visit carries none and must
      // not count towards the lockout before its user has even seen the prompt.
      if (request.headers.authorization) await limiter.adminFailed(ip);
      logger.warn(
        { audit: 'admin', requestId: request.id, ip, outcome: 'refused' },
        'admin refused',
      );
      reply.header('WWW-Authenticate', adminChallenge(request.url));
      return refuse(reply, 401, 'Unauthorized', 'A valid admin token is required.');
    }
    const basic = presentedCredential(request.headers.authorization)?.scheme === 'basic';
    if (basic && !READ_METHODS.has(request.method) && !checksOwnFormToken(request)) {
      // A browser sends its Basic login with a form posted from any website; a change must come
      // from the admin's own pages. `Origin: null` does not say which page sent it, and these
      // routes have no token of their own to decide instead.
      const source = requestSource(request, registry);
      if (refusedAsCrossSite(source) || source === 'opaque') {
        logger.warn(
          { audit: 'admin', requestId: request.id, ip, outcome: 'refused', reason: source },
          'admin change refused',
        );
        return refuse(reply, 403, 'Forbidden', 'Admin changes must come from the admin pages.');
      }
    }
  }

  edge.onResponse((request, reply) => {
    if (!READ_METHODS.has(request.method) && isAdminRequest(request) && reply.statusCode < 400) {
      logger.info(
        {
          audit: 'admin',
          requestId: request.id,
          ip: callerOf(request).ip,
          site: request.site?.id,
          method: request.method,
          path: request.url.split('?', 1)[0],
          status: reply.statusCode,
        },
        'admin change',
      );
    }
  });
}

/**
 * Bearer for the admin API (scripts), Basic for the admin pages so a browser shows its login
 * prompt and then sends the credential with every request, forms and the dashboard's calls too.
 */
export function adminChallenge(url: string): string {
  return isApiPath(url) ? 'Bearer' : BASIC_ADMIN_CHALLENGE;
}

/** The admin API is for scripts: Bearer only, which no browser adds to a request by itself. */
function isApiPath(url: string): boolean {
  const path = normalPath(url);
  return path === '/admin/api' || path.startsWith('/admin/api/');
}

/** Read only for Basic changes: Fastify builds the route's options object on each access. */
function checksOwnFormToken(request: FastifyRequest): boolean {
  return request.routeOptions.config?.checksAdminFormToken === true;
}

/**
 * By the matched route and by the path as the router will decode it, so `/%61dmin/...`,
 * `/Admin` or `//admin` cannot slip past the prefix test.
 */
const MAYBE_ADMIN = /admin|%/i;

export function isAdminRequest(request: FastifyRequest): boolean {
  if (request.routeUrl?.startsWith('/admin')) return true;
  // Any spelling of the prefix has the letters in some case, or an escape.
  if (!MAYBE_ADMIN.test(request.url)) return false;
  const normal = normalPath(request.url);
  return normal === '/admin' || normal.startsWith('/admin/') || normal.startsWith('/admin?');
}

function normalPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Undecodable paths match no route; the raw form is compared instead.
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/');
}

function refuse(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem(status, title, { detail })));
}
