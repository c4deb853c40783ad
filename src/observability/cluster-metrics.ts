import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from '../platform/observability/metrics.js';

/**
 * One scrape of `/metrics` sees the whole web process group: in cluster mode the worker that
 * took the scrape asks the primary, which collects every worker's registry over the cluster
 * IPC channel (prom-client's AggregatorRegistry) and sums them. The primary has no HTTP server
 * of its own, so no extra port has to be opened or scraped.
 */
const REQUEST = 'ecard:group-metrics:request';
const RESPONSE = 'ecard:group-metrics:response';
const GROUP_TIMEOUT_MS = 6000;

interface GroupMetricsRequest {
  type: typeof REQUEST;
  id: string;
}
interface GroupMetricsResponse {
  type: typeof RESPONSE;
  id: string;
  text?: string;
  error?: string;
}

let answering = false;

/** In a cluster worker: answer the primary's requests for this process's registry. */
export function answerPrimaryMetricsRequests(): void {
  if (answering || !cluster.isWorker) return;
  answering = true;
  AggregatorRegistry.setRegistries([metricsRegistry]);
  // Constructing one installs prom-client's listener for the primary's requests.
  new AggregatorRegistry();
}

export function inClusterWorker(): boolean {
  return cluster.isWorker && typeof process.send === 'function';
}

/** In a cluster worker: the summed metrics of every worker of the group, via the primary. */
export function groupMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const reply = message as Partial<GroupMetricsResponse> | null;
      if (reply?.type !== RESPONSE || reply.id !== id) return;
      finish();
      if (typeof reply.text === 'string') resolve(reply.text);
      else reject(new Error(reply.error ?? 'no metrics from the primary'));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error('the cluster primary did not answer with the group metrics'));
    }, GROUP_TIMEOUT_MS);
    const finish = (): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send?.({ type: REQUEST, id } satisfies GroupMetricsRequest);
  });
}

/** In the cluster primary: answer workers asking for the group's metrics. */
export function serveGroupMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    const request = message as Partial<GroupMetricsRequest> | null;
    if (request?.type !== REQUEST || typeof request.id !== 'string') return;
    const id = request.id;
    const reply = (response: Omit<GroupMetricsResponse, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: RESPONSE, id, ...response });
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
