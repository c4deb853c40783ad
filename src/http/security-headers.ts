/** Where browsers post Content-Security-Policy violations (see csp-reports.ts). */
export const CSP_REPORT_PATH = '/csp-report';

/**
 * `report-uri` only. With `report-to` in the policy Chromium ignores `report-uri` and hands
 * reports to the Reporting API instead, which in our Chromium test runs delivered none in
 * 150 seconds (plain HTTP and a secure `.localhost` context alike), where `report-uri` alone
 * delivered within seconds. The endpoint also takes the Reporting API's format, so adding
 * `report-to csp` and `Reporting-Endpoints: csp="/csp-report"` later is this line and a header.
 */
const REPORTING = [`report-uri ${CSP_REPORT_PATH}`];

/**
 * No inline script or style anywhere, so the policy can forbid both; card artwork is served
 * from our own origin. frame-ancestors stops the send form being framed for clickjacking.
 */
const DIRECTIVES = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

function policy(directives: Record<string, string>): string {
  return [
    ...Object.entries(directives).map(([name, value]) => `${name} ${value}`.trimEnd()),
    ...REPORTING,
  ].join('; ');
}

const CONTENT_SECURITY_POLICY = policy(DIRECTIVES);

/**
 * The queue dashboard's pages (Bull Board, under /admin/queues/ only) need two things the
 * sites' policy forbids:
 * - `<base href="/admin/queues/">`, which its scripts, styles and API calls are relative to:
 *   `base-uri 'self'` (with `'none'` every file is fetched from the wrong path and the page
 *   stays on "Loading");
 * - inline styles: its "Loading" placeholder has `style` attributes and a `<style>` element,
 *   and React inserts `<style>` elements from its scripts (an SVG icon's colours, a scrollbar
 *   rule of its component library). Hashes would have to follow every upgrade's bundles, so
 *   styles, not scripts, may be inline on this path: its scripts are still files of our own
 *   origin only, and its configuration block is JSON data, which no script policy governs.
 * Its Google Fonts stylesheet is taken out of the page (see queue-dashboard.hook.ts), not allowed.
 */
export const QUEUE_DASHBOARD_CSP = policy({
  ...DIRECTIVES,
  'style-src': "'self' 'unsafe-inline'",
  'base-uri': "'self'",
});

/**
 * An email's HTML shown inside a console page (a draft's greeting email): the framed document
 * runs nothing and posts nothing (`sandbox` without tokens: no scripts, no forms, an opaque
 * origin), may be framed by our own pages only, and loads images from the site it is about
 * only (its logo, the card), as a mail client would. Emails carry their styles inline, as mail
 * clients need them, and never a script: inline styles are all it is allowed.
 * `frame-ancestors` makes browsers ignore the X-Frame-Options DENY every response carries.
 */
export function framedEmailPolicy(imageOrigin: string): string {
  return policy({
    'default-src': "'none'",
    'img-src': `${imageOrigin} data:`,
    'style-src': "'unsafe-inline'",
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'self'",
    sandbox: '',
  });
}

/** Two years, the preload list's minimum. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Pages whose URL is a private link (pickup, confirmation, manage, unsubscribe) or an admin
 * page: their address goes with requests to our own pages only. `same-origin` rather than
 * `no-referrer`, because under `no-referrer` a browser posts the page's own forms with
 * `Origin: null`, which tells a same-site form nothing; under `same-origin` it names our origin.
 */
export const PRIVATE_PAGE_REFERRER_POLICY = 'same-origin';

/** The headers of a personal reply: kept by no cache, its address sent to no other site. */
export function privateReply<R extends PrivateReply>(reply: R): R {
  reply.header('Cache-Control', 'private, no-store');
  reply.header('Referrer-Policy', PRIVATE_PAGE_REFERRER_POLICY);
  return reply;
}

/** The part of a reply the helper needs, so this file stays free of the web framework. */
interface PrivateReply {
  header(name: string, value: string): unknown;
}

/**
 * The security headers of every response, page cache hits and early refusals included,
 * computed once at boot. These are the headers @fastify/helmet would set with the same policy
 * (a unit test compares them with helmet's own output), applied without helmet's plugin: it
 * rebuilds the helmet middleware, options and policy string included, in two onRequest hooks
 * on every request, which the cached-page path (a map read and a write) cannot afford.
 * Public pages keep `strict-origin-when-cross-origin`: other sites learn only our origin.
 * Left out on purpose: Cross-Origin-Resource-Policy (webmail shows card images from our
 * host in its own origin), headers for IE8, Flash and DNS prefetching, X-XSS-Protection (no
 * browser in use still has the XSS auditor it switched off) and Origin-Agent-Cluster (a
 * process-isolation hint with nothing to protect here). Every header here is sent on every
 * cached page too, where each one is a measurable share of the response.
 */
export class SecurityHeaders {
  readonly headers: readonly (readonly [string, string])[];

  /**
   * `openerIsolation`: only where the sites' origins are potentially trustworthy (HTTPS, or the
   * `*.localhost` names of development). On any other plain-HTTP host Chromium ignores
   * Cross-Origin-Opener-Policy and says so as a console error on every page a person opens.
   */
  constructor(options: { hsts: boolean; openerIsolation: boolean }) {
    this.headers = [
      ['content-security-policy', CONTENT_SECURITY_POLICY],
      ...(options.openerIsolation ? [['cross-origin-opener-policy', 'same-origin'] as const] : []),
      ['referrer-policy', 'strict-origin-when-cross-origin'],
      ['x-content-type-options', 'nosniff'],
      ['x-frame-options', 'DENY'],
      ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
      ...(options.hsts ? [['strict-transport-security', HSTS] as const] : []),
    ];
  }
}
