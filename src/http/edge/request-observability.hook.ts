import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { EdgeChain } from './edge-chain.js';
import type { RoutePolicy } from './route-policy.js';
import type { HistogramSeries, Tally } from '../../platform/observability/lean-metrics.js';
import { greetingsAccepted, httpRequestDuration } from '../../platform/observability/metrics.js';
import { requestLoggerOf } from '../../platform/observability/logger.js';
import { innerMap } from '../../common/inner-map.js';

/** Label for requests no route matched, so probing URLs cannot grow the series count. */
const UNMATCHED_ROUTE = 'unmatched';
/** Site label for siteless routes (/health, /version). */
const NO_SITE = '-';

export interface RequestObservabilityOptions {
  logger: Logger;
  /** Log page-cache hits at info like every other request; otherwise they go to debug. */
  logPageCacheHits?: boolean;
}

/** What one route, method, status and site count into, resolved once. */
interface Series {
  duration: HistogramSeries;
  accepted: Tally | null;
}

/**
 * The request log line and the request metrics, taken by the edge after the response because
 * a page-cache hit never reaches a controller.
 */
export function installRequestObservability(
  edge: EdgeChain,
  { logger, logPageCacheHits = true }: RequestObservabilityOptions,
): void {
  // Routes, methods, statuses and sites are few: each combination is resolved once, through
  // maps keyed by what the request already holds (no key string built per response).
  const series = new Map<string, Map<string, Map<number, Series>>>();
  const seriesOf = (
    route: string,
    sendGuard: RoutePolicy['sendGuard'],
    method: string,
    status: number,
    site: string,
  ): Series => {
    const byOutcome = innerMap(innerMap(series, route), site);
    const index = methodIndex(method);
    const outcome = status * 16 + index;
    let found = byOutcome.get(outcome);
    if (!found) {
      const labels = { route, method: METHODS[index] ?? 'OTHER', status: String(status), site };
      found = {
        duration: httpRequestDuration.seriesOf(labels),
        accepted: isAcceptedGreeting(method, sendGuard, status)
          ? greetingsAccepted.tally({ site })
          : null,
      };
      byOutcome.set(outcome, found);
    }
    return found;
  };
  const requestLog = requestLoggerOf(logger);
  const logRequests = requestLog.isLevelEnabled('info');
  // A hit costs a map read and a write; its log line would cost a third of its throughput
  // again. Metrics count every hit either way.
  const logHits = logPageCacheHits ? logRequests : requestLog.isLevelEnabled('debug');
  const hitLevel = logPageCacheHits ? 'info' : 'debug';

  edge.onResponse((request: FastifyRequest, reply: FastifyReply, elapsedMs: number) => {
    const route = request.routeUrl ?? UNMATCHED_ROUTE;
    const site = request.site?.id ?? NO_SITE;
    const status = reply.statusCode;
    const counted = seriesOf(route, request.routePolicy.sendGuard, request.method, status, site);
    counted.duration.observe(elapsedMs / 1000);
    counted.accepted?.inc();
    const served = request.pageCache?.served === true;
    if (status < 500 && !(served ? logHits : logRequests)) return;
    // One call per response: a single flat object and a write.
    const line = {
      requestId: request.id,
      site,
      route,
      method: request.method,
      status,
      latencyMs: Math.round(elapsedMs * 100) / 100,
    };
    if (status >= 500) requestLog.error(line, 'request');
    else if (served) requestLog[hitLevel](line, 'request');
    else requestLog.info(line, 'request');
  });
}

/**
 * A new greeting, on a send route: 201 from the API (200 is an idempotent replay), 303 from the
 * form.
 */
function isAcceptedGreeting(
  method: string,
  sendGuard: RoutePolicy['sendGuard'],
  status: number,
): boolean {
  if (method !== 'POST') return false;
  return (sendGuard === 'api' && status === 201) || (sendGuard === 'form' && status === 303);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A small number per method; any other method is counted as OTHER (bounded series). */
function methodIndex(method: string): number {
  const i = METHODS.indexOf(method);
  return i === -1 ? 15 : i;
}
