import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken, bearerToken } from '../http/admin-token.js';
import type { EdgeChain } from '../http/edge-chain.js';
import { problem } from '../http/problem.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../http/security-headers.js';
import type { AppLogger } from '../platform/observability/logger.js';
import type { AbuseLimiter } from './abuse-limiter.js';
import type { AdminSession, AdminSessions } from './admin-sessions.js';
import type { SiteRegistry } from '../sites/site-registry.js';
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

/** Where a browser without a session is sent; it and its form are open to anyone. */
export const ADMIN_SIGN_IN_PATH = '/admin/sign-in';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin browser session the gate found on an admin page request, or null. */
    adminSession: AdminSession | null;
  }
}

/**
 * One gate in front of every /admin route, present or future (API, pages, the queue dashboard),
 * before Nest's router: never cached, refused on hosts whose site does not allow admin (partners
 * by default), refused after too many failed credentials from one client, and the credential
 * checked in constant time. The API takes Bearer only; pages take Bearer (scripts) or a signed-in
 * session, and a browser without one is sent to the sign-in page. Changes are written to the log
 * as audit lines. Controllers keep their own guard as a second line.
 */
export function installAdminGate(
  fastify: FastifyInstance,
  edge: EdgeChain,
  options: {
    adminToken: string;
    limiter: AbuseLimiter;
    sessions: AdminSessions;
    logger: AppLogger;
    registry: SiteRegistry;
  },
): void {
  const token = new AdminToken(options.adminToken);
  const { limiter, sessions, logger, registry } = options;
  fastify.decorateRequest('adminSession', null);

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
    const path = normalPath(request.url);
    const change = !READ_METHODS.has(request.method);
    if (path === ADMIN_SIGN_IN_PATH) {
      // The sign-in form checks the token itself (and counts wrong ones); a sign-in driven by
      // another site's page must not even get that far.
      return change && refusedAsCrossSite(requestSource(request, registry))
        ? refuseCrossSite(reply)
        : undefined;
    }
    if (token.accepts(request.headers.authorization)) return undefined;
    // A partner's system reads its reports with its API key (checked valid by the edge); the
    // report API's guard decides which site that key may read.
    if (!change && request.caller?.apiKey && isReportApiPath(path)) return undefined;
    const api = isApiPath(path);
    const session = api ? null : await sessions.find(request.headers.cookie);
    if (session === null) {
      // Only a presented Bearer token is a guess: a browser's visit without one must not count
      // towards the lockout before its user has even seen the sign-in form.
      const script = bearerToken(request.headers.authorization) !== null;
      if (script) await limiter.adminFailed(ip);
      logger.warn(
        { audit: 'admin', requestId: request.id, ip, outcome: 'refused' },
        'admin refused',
      );
      // A browser is sent to sign in; a script with a wrong token is told so.
      if (!api && !change && !script) {
        return reply.code(303).header('Location', ADMIN_SIGN_IN_PATH).send();
      }
      reply.header('WWW-Authenticate', 'Bearer');
      return refuse(reply, 401, 'Unauthorized', 'A valid admin token is required.');
    }
    // The session cookie is SameSite=Strict already; this also stops a same-site sibling.
    // `Origin: null` does not say which page sent a change. A route that checks the origin and
    // a form token of its own decides itself, and answers with a page saying why.
    if (change && !checksOwnFormToken(request)) {
      const source = requestSource(request, registry);
      if (refusedAsCrossSite(source) || source === 'opaque') {
        logger.warn(
          { audit: 'admin', requestId: request.id, ip, outcome: 'refused', reason: source },
          'admin change refused',
        );
        return refuseCrossSite(reply);
      }
    }
    request.adminSession = session;
    return undefined;
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

/** The admin API is for scripts: Bearer only, which no browser adds to a request by itself. */
function isApiPath(path: string): boolean {
  return path === '/admin/api' || path.startsWith('/admin/api/');
}

/** The report API, the one admin API a site-bound API key may read. */
function isReportApiPath(path: string): boolean {
  return path.startsWith('/admin/api/reports/');
}

/** Read only for changes: Fastify builds the route's options object on each access. */
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

function refuseCrossSite(reply: FastifyReply): FastifyReply {
  return refuse(reply, 403, 'Forbidden', 'Admin changes must come from the admin pages.');
}

function refuse(reply: FastifyReply, status: number, title: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem(status, title, { detail })));
}
