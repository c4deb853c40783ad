import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EdgeChain } from '../http/edge-chain.js';
import type { AppLogger } from '../platform/observability/logger.js';
import { problem } from '../http/problem.js';
import { ApiKeys } from './api-keys.js';
import type { ApiKey } from '../config/security-config.js';

/** Who is asking, as far as rate limits are concerned. */
export interface Caller {
  /** The client's address: the peer, or X-Forwarded-For's entry from a trusted proxy. */
  ip: string;
  /** Name of the API key presented, or null for the public. */
  apiKey: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the edge for a caller with an API key; otherwise worked out when first asked. */
    caller: Caller | null;
  }
}

export const API_KEY_HEADER = 'x-api-key';

const INVALID_KEY = JSON.stringify(
  problem(401, 'Unauthorized', { detail: 'The X-Api-Key header does not name a valid key.' }),
);

/**
 * Checks X-Api-Key. A request carrying one must carry a valid one: a wrong key is a 401, never
 * a silent fall back to the public limits, so a partner notices a rotated key. A request
 * without one is the public, whose caller is worked out only if a limit asks (`callerOf`): a
 * page-cache hit never does.
 */
export function installClientIdentity(
  fastify: FastifyInstance,
  edge: EdgeChain,
  keys: readonly ApiKey[],
  logger: AppLogger,
): void {
  const apiKeys = new ApiKeys(keys);
  fastify.decorateRequest('caller', null);
  edge.onRequest((request, reply) => {
    const presented = request.headers[API_KEY_HEADER];
    if (presented === undefined) return false;
    const apiKey = typeof presented === 'string' ? apiKeys.nameOf(presented) : null;
    if (apiKey === null) {
      logger.warn({ requestId: request.id, ip: request.ip }, 'invalid API key refused');
      return refuse(reply);
    }
    request.caller = { ip: clientKeyOf(request.ip), apiKey };
    return false;
  });
}

/** Who is asking: the API key's holder the edge saw, or the public at the client's address. */
export function callerOf(request: FastifyRequest): Caller {
  let caller = request.caller;
  if (caller === null) {
    caller = { ip: clientKeyOf(request.ip), apiKey: null };
    request.caller = caller;
  }
  return caller;
}

function refuse(reply: FastifyReply): true {
  void reply
    .code(401)
    .header('Cache-Control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(INVALID_KEY);
  return true;
}

/** IPv6 clients get a /64 each (one home or host), so address hopping inside it gains nothing. */
export function clientKeyOf(ip: string): string {
  if (!ip.includes(':')) return ip;
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice('::ffff:'.length);
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

/**
 * The network a client key belongs to, for limits one level up: an IPv6 /64 key's /48 (what a
 * provider hands one customer, so hopping between its /64s gains nothing), an IPv4 address itself.
 */
export function networkOf(clientKey: string): string {
  if (!clientKey.endsWith('::/64')) return clientKey;
  return `${clientKey.split(':').slice(0, 3).join(':')}::/48`;
}

function expandIpv6(ip: string): string[] | null {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return null;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
}
