import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken, bearerToken } from '../admin-token.js';
import type { EdgeChain } from './edge-chain.js';
import { problem } from '../problem.js';
import { SITE_KEY_CALLER_PREFIX } from '../../security/site-api-keys.js';
import { PRIVATE_PAGE_REFERRER_POLICY } from '../security-headers.js';
import type { AppLogger } from '../../platform/observability/logger.js';
import type { AbuseLimiter } from '../../security/abuse-limiter.js';
import type { AdminSession, AdminSessions } from '../../security/admin-sessions.js';
import type { SiteRegistry } from '../../sites/site-registry.js';
import { callerOf } from '../../security/caller.js';
import { refusedAsCrossSite, requestSource } from '../../security/origin-check.js';

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
 * One gate in front of every admin route (API, pages, the queue dashboard), before Nest's
 * router. A route is an admin one by its `RoutePolicy` (boot refuses an /admin route without
 * one); an address no route serves but spelled like an admin one is gated too, so probing
 * learns nothing. Admin routes are never cached, refused on hosts whose site does not allow admin (partners
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
    // A partner's own key, which the edge found bound to this host's site and scoped to read
    // reports, reads that site's reports on that site's host: no other admin route admits it.
    if (
      request.method === 'GET' &&
      request.routePolicy.apiKeyReads === true &&
      request.caller?.apiKey?.startsWith(SITE_KEY_CALLER_PREFIX) === true
    ) {
      return undefined;
    }
    if (!request.site?.allowAdmin) {
      return refuse(reply, 403, 'Forbidden', 'Administration is not available on this host.');
    }
    const wait = await limiter.adminBlocked(ip);
    if (wait !== null) {
      reply.header('Retry-After', String(wait));
      return refuse(reply, 429, 'Too many requests', 'Too many failed admin credentials.');
    }
    const access = accessOf(request);
    const change = !READ_METHODS.has(request.method);
    if (access === 'sign-in') {
      // The sign-in form checks the token itself (and counts wrong ones); a sign-in driven by
      // another site's page must not even get that far.
      return change && refusedAsCrossSite(requestSource(request, registry))
        ? refuseCrossSite(reply)
        : undefined;
    }
    if (token.accepts(request.headers.authorization)) return undefined;
    // A partner's system reads its reports with its API key (checked valid by the edge); the
    // report API's guard decides which site that key may read.
    if (!change && request.caller?.apiKey && request.routePolicy.apiKeyReads === true) {
      return undefined;
    }
    // A partner's person downloads a report from the console with their session cookie
    // (SameSite=Strict, so only our own pages send it); the route's guard checks the session.
    if (
      !change &&
      request.routePolicy.consoleSessionReads === true &&
      request.headers.cookie !== undefined &&
      bearerToken(request.headers.authorization) === null
    ) {
      return undefined;
    }
    const api = access === 'api';
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
    if (change && request.routePolicy.ownFormToken !== true) {
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

/**
 * How the admin route is guarded: by its policy, or for an address no route serves, by how it
 * is spelled (the API is for scripts: Bearer only, which no browser adds by itself).
 */
function accessOf(request: FastifyRequest): 'page' | 'api' | 'sign-in' {
  const declared = request.routePolicy.admin;
  if (declared !== undefined) return declared;
  const path = normalPath(request.url);
  return path === '/admin/api' || path.startsWith('/admin/api/') ? 'api' : 'page';
}

/** An address any spelling of the /admin prefix could reach has the letters in some case, or an escape. */
const MAYBE_ADMIN = /admin|%/i;

/**
 * An admin route's request, or one for an address no route serves spelled like an admin one
 * (compared as the router would decode it, so `/%61dmin/...`, `/Admin` or `//admin` are too).
 */
export function isAdminRequest(request: FastifyRequest): boolean {
  if (request.routePolicy.admin !== undefined) return true;
  if (request.routeUrl !== null || !MAYBE_ADMIN.test(request.url)) return false;
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
