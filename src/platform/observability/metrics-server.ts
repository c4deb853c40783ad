import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { metricsRegistry } from './metrics.js';

export interface MetricsEndpoint {
  host: string;
  port: number;
  /** The Prometheus text of this process, or of the group it speaks for. */
  render: () => Promise<string>;
  contentType: string;
  log: { info(message: string): void; warn(message: string): void };
}

/**
 * A small HTTP server answering `GET /metrics` and nothing else, on a port of its own: what
 * the platform counts (sites, routes, queue depths, store health) is for operators, never on
 * a public site's port. A port already taken is logged, not fatal: serving cards matters more
 * than being scraped. Null when it could not listen.
 */
export async function serveMetrics(endpoint: MetricsEndpoint): Promise<Server | null> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    endpoint.render().then(
      (text) =>
        response
          .writeHead(200, { 'content-type': endpoint.contentType, 'cache-control': 'no-store' })
          .end(text),
      (error: unknown) =>
        response
          .writeHead(503, { 'content-type': 'text/plain' })
          .end(`${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      endpoint.log.warn(
        `metrics not served on port ${endpoint.port}: ${error.code ?? error.message}`,
      );
      resolve(null);
    });
    server.listen(endpoint.port, endpoint.host, () => {
      endpoint.log.info(`metrics on http://${endpoint.host}:${endpoint.port}/metrics`);
      resolve(server);
    });
  });
}

/** Stops answering scrapes, dropping idle keep-alive connections at once. */
export function closeMetricsServer(server: Server | null): Promise<void> {
  if (!server) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** A process's own metrics server as a Nest provider: listens at bootstrap, closes at shutdown. */
export abstract class ProcessMetricsServer
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  /** `port` null: this process serves no metrics of its own. */
  protected constructor(
    private readonly host: string,
    private readonly port: number | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.port === null) return;
    this.server = await serveMetrics({
      host: this.host,
      port: this.port,
      render: () => metricsRegistry.metrics(),
      contentType: metricsRegistry.contentType,
      log: { info: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeMetricsServer(this.server);
  }
}
