/** What a site's bounce domain may be, as whoever sets it is allowed. */
export interface BounceDomainScope {
  /** The domain of the site's From address, which an operator set and DMARC aligns with. */
  fromDomain: string;
  /** The site's live hostnames: each one proved the partner's (or vouched for by an operator). */
  hostnames: readonly string[];
  /** BOUNCE_DOMAIN, the platform's shared bounce domain. */
  platformDomain: string;
  /** Operators may also give a site a name under the platform's own bounce domain. */
  operator: boolean;
}

/**
 * Why `domain` cannot be a site's bounce domain (Return-Path), or null when it may.
 *
 * A bounce domain gets an MX pointing at the platform's bounce service, so it is a name of its
 * own, below a domain the brand has shown is theirs: a subdomain of the From domain (SPF then
 * aligns for DMARC) or of one of the site's live hostnames. Never one of those names itself:
 * its MX would take over the brand's own mail or collide with the web host. Operators run the
 * platform's bounce domain, so they may also give a site a subdomain of it (which keeps bounces
 * apart per brand but does not align). Anything else (someone else's domain, another brand's)
 * would send the site's bounces where nobody reads them.
 */
export function bounceDomainProblem(domain: string, scope: BounceDomainScope): string | null {
  const name = domain.toLowerCase();
  const platform = scope.platformDomain.toLowerCase();
  const owned = [scope.fromDomain, ...scope.hostnames].map((d) => d.toLowerCase());
  if (name === platform) return 'leave it empty to use the platform’s shared bounce domain';
  if (owned.includes(name)) {
    return `use a name of its own below it, such as bounces.${name}: its MX record must point at the platform`;
  }
  if (owned.some((d) => name.endsWith(`.${d}`))) return null;
  if (scope.operator && name.endsWith(`.${platform}`)) return null;
  const allowed = [...new Set(owned)].join(', ');
  const platformToo = scope.operator ? ` or of ${platform}` : '';
  return `must be a subdomain of ${allowed}${platformToo}, such as bounces.${scope.fromDomain}`;
}
