import type { FastifyRequest } from 'fastify';
import type { SiteRegistry } from '../sites/site-registry.js';

/**
 * A state-changing browser request must come from a page of the same site. Browsers send
 * `Origin` on cross-site POSTs (and `Referer` on most others); a value naming another host, or
 * `null` (sandboxed frames, data: URLs), is refused. Neither header means a non-browser client,
 * which an attacker's page cannot make a victim's browser be; the form token still applies.
 */
export function comesFromSameSite(request: FastifyRequest, registry: SiteRegistry): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return sameSite(origin, request, registry);
  const referer = request.headers.referer;
  if (referer !== undefined) return sameSite(referer, request, registry);
  return true;
}

function sameSite(value: string, request: FastifyRequest, registry: SiteRegistry): boolean {
  if (!request.site) return false;
  let host: string;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    host = url.host;
  } catch {
    return false;
  }
  return registry.resolve(host) === request.site;
}
