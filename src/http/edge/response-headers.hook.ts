import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from '../../platform/observability/request-id.js';
import type { SecurityHeaders } from '../security-headers.js';

/**
 * The headers every response carries (the security headers, the request id and the app
 * version), set as the response goes out, in one `onSend` hook for every route: early refusals
 * from the edge, Nest's routes, errors and the not-found page alike. A route may tighten the
 * two policies pages set for themselves (artwork's stricter Content-Security-Policy, private
 * links' Referrer-Policy) and keeps its own; the others are the platform's.
 *
 * A page-cache hit never reaches onSend: its stored page has these headers from when it was
 * rendered, and the hit adds its own request id. Setting them in an edge step instead would
 * cost every hit eight header writes it then throws away.
 */
/** Asking whether a header is set costs two lowercasings and two lookups: only for these. */
const ROUTE_MAY_SET = new Set(['content-security-policy', 'referrer-policy']);

export function installResponseHeaders(
  fastify: FastifyInstance,
  options: { security: SecurityHeaders; version: string },
): void {
  const all: (readonly [string, string])[] = [
    ...options.security.headers,
    ['x-app-version', options.version],
  ];
  const always = all.filter(([name]) => !ROUTE_MAY_SET.has(name));
  const unlessSet = all.filter(([name]) => ROUTE_MAY_SET.has(name));
  fastify.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of always) reply.header(name, value);
    for (const [name, value] of unlessSet) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    reply.header(REQUEST_ID_HEADER, request.id);
    done(null, payload);
  });
}
