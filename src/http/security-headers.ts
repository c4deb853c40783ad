/**
 * No inline script or style anywhere, so the policy can forbid both; card artwork is served
 * from our own origin. frame-ancestors stops the send form being framed for clickjacking.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, the preload list's minimum. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * The security headers of every response, page cache hits and early refusals included,
 * computed once at boot. These are the headers @fastify/helmet would set with the same policy
 * (a unit test compares them with helmet's own output), applied without helmet's plugin: it
 * rebuilds the helmet middleware, options and policy string included, in two onRequest hooks
 * on every request, which the cached-page path (a map read and a write) cannot afford.
 * Left out on purpose: Cross-Origin-Resource-Policy (webmail shows card images from our
 * host in its own origin), headers for IE8, Flash and DNS prefetching, X-XSS-Protection (no
 * browser in use still has the XSS auditor it switched off) and Origin-Agent-Cluster (a
 * process-isolation hint with nothing to protect here). Every header here is sent on every
 * cached page too, where each one is a measurable share of the response.
 */
export class SecurityHeaders {
  readonly headers: readonly (readonly [string, string])[];

  constructor(options: { hsts: boolean }) {
    this.headers = [
      ['content-security-policy', CONTENT_SECURITY_POLICY],
      ['cross-origin-opener-policy', 'same-origin'],
      ['referrer-policy', 'strict-origin-when-cross-origin'],
      ['x-content-type-options', 'nosniff'],
      ['x-frame-options', 'DENY'],
      ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
      ...(options.hsts ? [['strict-transport-security', HSTS] as const] : []),
    ];
  }
}
