import type { EdgeChain } from '../http/edge/edge-chain.js';
import type { ReportTraffic } from './report-traffic.js';

/** Counts every response of a site, page-cache hits included (they never reach a controller). */
export function installReportTraffic(edge: EdgeChain, traffic: ReportTraffic): void {
  edge.onResponse((request, reply, elapsedMs) => {
    const site = request.site;
    if (!site) return;
    const pageView = request.routePolicy.pageView;
    const slug =
      pageView === 'card' || pageView === 'occasion'
        ? (request.params as { slug?: string }).slug
        : undefined;
    traffic.record(site.id, pageView, request.method, reply.statusCode, elapsedMs, slug);
  });
}
