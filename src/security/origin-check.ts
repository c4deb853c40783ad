import type { FastifyRequest } from 'fastify';
import type { SiteRegistry } from '../sites/site-registry.js';

/**
 * Where the browser says a state-changing request came from.
 * - `same-site`: Fetch Metadata says same-origin, or Origin (Referer without it) names this site.
 * - `cross-site`: Fetch Metadata says another site's page sent it.
 * - `foreign-origin`: Origin (or Referer) names another host, another tenant or no web page.
 * - `opaque`: `Origin: null`. A real browser sends it for a page of ours whose referrer policy
 *   withholds the origin, for a privacy redirect and for a sandboxed frame: only a token the
 *   page carried can tell those apart.
 * - `unstated`: neither header, a client that is not a browser (scripts, mail providers).
 */
export type RequestSource = 'same-site' | 'cross-site' | 'foreign-origin' | 'opaque' | 'unstated';

/**
 * Fetch Metadata first: a browser sets `Sec-Fetch-Site` itself (no page can forge it) on
 * requests to secure origins. `same-site` is a sibling host under the same registrable domain,
 * which may be another tenant, and `none` a person's own navigation; both go on to Origin.
 */
export function requestSource(request: FastifyRequest, registry: SiteRegistry): RequestSource {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'same-origin') return 'same-site';
  if (fetchSite === 'cross-site') return 'cross-site';
  const origin = request.headers.origin;
  if (origin === 'null') return 'opaque';
  if (origin !== undefined) return namesThisSite(origin, request, registry);
  const referer = request.headers.referer;
  if (referer !== undefined) return namesThisSite(referer, request, registry);
  return 'unstated';
}

/**
 * For requests no token of a person's own authorises (the send form, whose token anyone can
 * fetch with the page, and the send API): only a page of this site, or a client that is no
 * browser, which an attacker's page cannot make a victim's browser be.
 */
export function comesFromSameSite(request: FastifyRequest, registry: SiteRegistry): boolean {
  const source = requestSource(request, registry);
  return source === 'same-site' || source === 'unstated';
}

/**
 * For forms whose token only the person holding the private link or the admin credential can
 * have (manage, unsubscribe, the flags page): a browser's word that another site sent the
 * form refuses it; `Origin: null` leaves the decision to that token.
 */
export function refusedAsCrossSite(
  source: RequestSource,
): source is 'cross-site' | 'foreign-origin' {
  return source === 'cross-site' || source === 'foreign-origin';
}

function namesThisSite(
  value: string,
  request: FastifyRequest,
  registry: SiteRegistry,
): 'same-site' | 'foreign-origin' {
  if (!request.site) return 'foreign-origin';
  let host: string;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'foreign-origin';
    host = url.host;
  } catch {
    return 'foreign-origin';
  }
  return registry.resolve(host) === request.site ? 'same-site' : 'foreign-origin';
}
