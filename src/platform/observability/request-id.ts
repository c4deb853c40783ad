import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Request ids are unique, not secret: a random prefix per process and a counter, written in
 * the shape of a UUID so logs and tools that expect one keep working. A random UUID per
 * request cost a measurable share of a cached page.
 */
const prefix = randomBytes(10).toString('hex');
const head = `${prefix.slice(0, 8)}-${prefix.slice(8, 12)}-${prefix.slice(12, 16)}-${prefix.slice(16, 20)}-`;
let sequence = 0;

export function newRequestId(): string {
  sequence = (sequence + 1) % 0x1000000000000;
  return head + sequence.toString(16).padStart(12, '0');
}

/**
 * Fastify's `genReqId`: keeps the id a proxy or caller sent so one request can be followed
 * across hops, unless it could break a log line or a header (then a fresh one).
 */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}
