import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './metrics.js';
import { type MetricsEndpoint, serveMetrics } from './metrics-server.js';

/**
 * In cluster mode one scrape sees the whole web process group: the primary answers on the
 * metrics port, collecting every worker's registry over the cluster IPC channel (prom-client's
 * AggregatorRegistry) and summing them. Workers serve no metrics of their own.
 */
let answering = false;

/** In a cluster worker: answer the primary's requests for this process's registry. */
export function answerPrimaryMetricsRequests(): void {
  if (answering || !cluster.isWorker) return;
  answering = true;
  AggregatorRegistry.setRegistries([metricsRegistry]);
  // Constructing one installs prom-client's listener for the primary's requests.
  new AggregatorRegistry();
}

/** In the cluster primary: the group's summed metrics on the metrics port. */
export function serveGroupMetrics(
  endpoint: Pick<MetricsEndpoint, 'host' | 'port' | 'log'>,
): Promise<Server | null> {
  const aggregator = new AggregatorRegistry();
  return serveMetrics({
    ...endpoint,
    render: () => aggregator.clusterMetrics(),
    contentType: aggregator.contentType,
  });
}
