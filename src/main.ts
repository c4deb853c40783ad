import { exitWithFailure } from './common/fatal.js';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createWebApp } from './web-app.js';
import { runWebCluster } from './ops/web-cluster.js';
import { createRootLogger, lifecycleLogger } from './platform/observability/logger.js';

/**
 * The web process. With WEB_CONCURRENCY > 1 the primary forks that many workers sharing the
 * port (see runWebCluster); each worker is a complete, stateless server.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, availableParallelism());
  const logger = createRootLogger(config, 'web');
  const workers = config.http.concurrency;
  if (workers > 1 && cluster.isPrimary) {
    runWebCluster(workers, lifecycleLogger(logger), {
      host: config.ops.metricsHost,
      port: config.ops.webMetricsPort,
    });
    return;
  }
  const app = await createWebApp(config, logger);
  await app.listen({ port: config.http.port, host: config.http.host });
  lifecycleLogger(logger).info(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => exitWithFailure(error, (e) => e instanceof ConfigError));
