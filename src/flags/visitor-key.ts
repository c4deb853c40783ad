import type { FastifyRequest } from 'fastify';

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Who a percentage rollout buckets: the `X-Visitor-Id` a client (app, partner) sends, else the
 * client address. Stable for a visitor across requests and processes; never stored or logged.
 */
export function visitorKeyOf(request: FastifyRequest): string {
  const header = request.headers['x-visitor-id'];
  return typeof header === 'string' && VISITOR_ID.test(header) ? header : request.ip;
}
