import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppLogger } from '../platform/observability/logger.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { cspViolations } from '../platform/observability/metrics.js';
import { CSP_REPORT_PATH } from './security-headers.js';

/** A browser batches a handful of reports; more than this is not a browser. */
const MAX_BODY_BYTES = 16 * 1024;
const MAX_REPORTS_PER_BODY = 20;

/**
 * Log lines per process per minute. One page with a broken policy reports on every view, and
 * anyone can post reports: past the budget a report is only counted, so neither can flood the
 * log. The counter still shows the volume.
 */
const LOG_BUDGET_PER_MINUTE = 120;

/** Directives a metric label may name; anything else a client sends counts as `other`. */
const DIRECTIVES = new Set([
  'default-src',
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'style-src',
  'style-src-elem',
  'style-src-attr',
  'img-src',
  'font-src',
  'connect-src',
  'media-src',
  'object-src',
  'frame-src',
  'child-src',
  'worker-src',
  'manifest-src',
  'base-uri',
  'form-action',
  'frame-ancestors',
  'require-trusted-types-for',
  'trusted-types',
]);

/** What a browser may report instead of a URL ('inline', 'eval', 'data', ...). */
const KEYWORD = /^[a-z][a-z-]{0,31}$/;

interface Violation {
  document: string;
  directive: string;
  blocked: string;
  source: string | null;
  line: number | null;
  disposition: string;
}

/**
 * The endpoint the policy's `report-uri` names: `application/csp-report` (one
 * report, `report-uri`) and `application/reports+json` (a batch, the Reporting API). One log
 * line per violation with the page's route, the directive and what was blocked, each URL
 * reduced to what cannot carry a private link: our own pages to their route template
 * (`/p/:token`, never the token), other hosts to their origin, no query strings. Always a 204,
 * never cached; bodies are bounded and the log has a budget, so the endpoint cannot be turned
 * against the log or the process.
 */
export function installCspReports(
  fastify: FastifyInstance,
  registry: SiteRegistry,
  logger: AppLogger,
): void {
  const here: Here = { fastify, registry };
  let windowStartedAt = 0;
  let loggedInWindow = 0;
  const withinBudget = (now: number): boolean => {
    if (now - windowStartedAt >= 60_000) {
      windowStartedAt = now;
      loggedInWindow = 0;
    }
    return ++loggedInWindow <= LOG_BUDGET_PER_MINUTE;
  };

  void fastify.register((scope, _options, done) => {
    // Parsers of this scope only: no other route takes these types.
    scope.addContentTypeParser(
      ['application/csp-report', 'application/reports+json'],
      { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
      (_request, body, parsed) => {
        try {
          parsed(null, JSON.parse(body as string));
        } catch {
          parsed(null, null);
        }
      },
    );
    scope.post(CSP_REPORT_PATH, { bodyLimit: MAX_BODY_BYTES }, (request, reply) => {
      const site = request.site?.id ?? '-';
      for (const raw of reportsIn(request.body).slice(0, MAX_REPORTS_PER_BODY)) {
        const violation = describe(raw, request, here);
        const directive = DIRECTIVES.has(violation.directive) ? violation.directive : 'other';
        const logged = withinBudget(Date.now());
        cspViolations.inc({ site, directive, outcome: logged ? 'logged' : 'over-budget' });
        if (logged) logger.warn({ event: 'csp-violation', site, ...violation }, 'csp violation');
      }
      void reply.code(204).header('Cache-Control', 'no-store').send();
    });
    done();
  });
}

type Fields = Record<string, unknown>;

interface Here {
  fastify: FastifyInstance;
  registry: SiteRegistry;
}

/** The reports of either format, as their field maps; anything else is no report. */
function reportsIn(body: unknown): Fields[] {
  if (Array.isArray(body)) {
    return body
      .filter((r): r is Fields => isFields(r) && r.type === 'csp-violation' && isFields(r.body))
      .map((r) => r.body as Fields);
  }
  if (isFields(body) && isFields(body['csp-report'])) return [body['csp-report']];
  return [];
}

/** Field names differ between the two formats (`document-uri` and `documentURL`). */
function describe(report: Fields, request: FastifyRequest, here: Here): Violation {
  const text = (...keys: string[]): string | null => {
    for (const key of keys) if (typeof report[key] === 'string') return report[key];
    return null;
  };
  const directive = text('effectiveDirective', 'effective-directive', 'violated-directive');
  const line = report.lineNumber ?? report['line-number'];
  const place = (value: string | null) => (value === null ? null : where(value, request, here));
  return {
    document: place(text('documentURL', 'document-uri')) ?? 'unknown',
    directive:
      directive !== null && KEYWORD.test(directive.split(' ', 1)[0] ?? '')
        ? (directive.split(' ', 1)[0] as string)
        : 'unknown',
    blocked: place(text('blockedURL', 'blocked-uri')) ?? 'unknown',
    source: place(text('sourceFile', 'source-file')),
    line: typeof line === 'number' && Number.isInteger(line) ? line : null,
    disposition: text('disposition') === 'report' ? 'report' : 'enforce',
  };
}

/**
 * A reported URL as it may be logged: a keyword as it is, a page of this site as its route
 * template, another host as its origin.
 */
function where(value: string, request: FastifyRequest, here: Here): string {
  if (KEYWORD.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol}`;
  if (!request.site || here.registry.resolve(url.host) !== request.site) return url.origin;
  return routeOf(url.pathname, here.fastify) ?? 'unrouted';
}

/** `/p/abc` as `/p/:token`: every segment that is a route parameter's value named by it. */
function routeOf(path: string, fastify: FastifyInstance): string | null {
  const found = fastify.findRoute({ method: 'GET', url: path });
  if (!found) return null;
  const params = Object.entries(found.params as Record<string, string>);
  if (params.length === 0) return path;
  const names = new Map(params.map(([name, value]) => [value, name]));
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Kept as sent; it matches no parameter value then.
    }
    const name = names.get(decoded) ?? names.get(segment);
    if (name === '*') return [...segments.slice(0, i), '*'].join('/');
    if (name !== undefined) segments[i] = `:${name}`;
  }
  return segments.join('/');
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
