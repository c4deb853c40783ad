import type { FastifyRequest } from 'fastify';

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

/** Who is asking: the API key's holder the edge saw, or the public at the client's address. */
export function callerOf(request: FastifyRequest): Caller {
  let caller = request.caller;
  if (caller === null) {
    caller = { ip: clientKeyOf(request.ip), apiKey: null };
    request.caller = caller;
  }
  return caller;
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
