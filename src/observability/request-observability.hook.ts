import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { greetingsAccepted, httpRequestDuration } from '../platform/observability/metrics.js';
import { requestLoggerOf } from '../platform/observability/logger.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Label for requests no route matched, so probing URLs cannot grow the series count. */
const UNMATCHED_ROUTE = 'unmatched';
/** Site label for siteless routes (/health, /metrics, /version). */
const NO_SITE = '-';

export interface RequestObservabilityOptions {
  logger: Logger;
  version: string;
  /** Log page-cache hits at info like every other request; otherwise they go to debug. */
  logPageCacheHits?: boolean;
}

/**
 * Request id and version headers, the request log line and the request metrics. Installed
 * before site resolution and the page cache so their early replies carry the headers too;
 * measured in onResponse because a page-cache hit never reaches a controller.
 */
export function installRequestObservability(
  fastify: FastifyInstance,
  { logger, version, logPageCacheHits = true }: RequestObservabilityOptions,
): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-app-version', version);
    done();
  });

  // The label set of a series is resolved once and kept: prom-client would otherwise hash
  // the four labels on every response. Routes, methods, statuses and sites are few.
  const series = new Map<string, { observe(seconds: number): void }>();
  const requestLog = requestLoggerOf(logger);
  const logRequests = requestLog.isLevelEnabled('info');
  // A hit costs a map read and a write; its log line would cost a third of its throughput
  // again. Metrics count every hit either way.
  const logHits = logPageCacheHits ? logRequests : requestLog.isLevelEnabled('debug');

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const site = request.site?.id ?? NO_SITE;
    const status = reply.statusCode;
    const latencyMs = Math.round(reply.elapsedTime * 100) / 100;
    const key = `${route} ${request.method} ${status} ${site}`;
    let timer = series.get(key);
    if (!timer) {
      timer = httpRequestDuration.labels(route, request.method, String(status), site);
      series.set(key, timer);
    }
    timer.observe(latencyMs / 1000);
    if (isAcceptedGreeting(request.method, route, status)) greetingsAccepted.inc({ site });
    // One call per response: the hit path pays for a single flat object and a write.
    if (status >= 500) {
      requestLog.error(
        { requestId: request.id, site, route, method: request.method, status, latencyMs },
        'request',
      );
    } else if (request.pageCache?.served === true) {
      if (logHits) {
        requestLog[logPageCacheHits ? 'info' : 'debug'](
          { requestId: request.id, site, route, method: request.method, status, latencyMs },
          'request',
        );
      }
    } else if (logRequests) {
      requestLog.info(
        { requestId: request.id, site, route, method: request.method, status, latencyMs },
        'request',
      );
    }
    done();
  });
}

/** A new greeting: 201 from the API (200 is an idempotent replay), 303 from the form. */
function isAcceptedGreeting(method: string, route: string, status: number): boolean {
  if (method !== 'POST') return false;
  return (
    (route === '/api/greetings' && status === 201) ||
    (route === '/cards/:slug/send' && status === 303)
  );
}
