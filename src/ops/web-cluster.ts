import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { serveGroupMetrics } from '../platform/observability/cluster-metrics.js';
import { closeMetricsServer } from '../platform/observability/metrics-server.js';

/** A worker that ignores SIGTERM this long is killed, so a restart cannot hang forever. */
const STOP_GRACE_MS = 30_000;

/**
 * The cluster primary of the web process: keeps `size` workers running, replacing any that
 * die, and on SIGHUP replaces them one at a time (the new one listening before the old one
 * is told to stop), so a deploy never leaves the port without a listener. It serves the
 * group's metrics on their own port (null: none).
 */
export function runWebCluster(
  size: number,
  logger: Logger,
  metrics: { host: string; port: number | null },
): void {
  const retiring = new Set<number>();
  let stopping = false;
  let restarting = false;

  let metricsServer: Promise<Server | null> = Promise.resolve(null);
  if (metrics.port !== null) {
    const log = { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };
    metricsServer = serveGroupMetrics({ host: metrics.host, port: metrics.port, log });
  }
  for (let i = 0; i < size; i++) cluster.fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping || retiring.delete(worker.id)) return;
    logger.warn(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });

  const rollingRestart = async (): Promise<void> => {
    const current = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    logger.info(`rolling restart of ${current.length} workers`);
    for (const old of current) {
      if (stopping) return;
      if (old.isDead()) continue;
      const fresh = cluster.fork();
      if (!(await listening(fresh))) {
        // A new build that cannot start must not take the running workers down with it.
        logger.error(`worker ${fresh.process.pid} exited before listening; restart aborted`);
        return;
      }
      retiring.add(old.id);
      await stopWorker(old);
      logger.info(`worker ${old.process.pid} replaced by ${fresh.process.pid}`);
    }
    logger.info('rolling restart done');
  };

  process.on('SIGHUP', () => {
    if (restarting || stopping) return;
    restarting = true;
    rollingRestart()
      .catch((error: unknown) => logger.error({ err: error }, 'rolling restart failed'))
      .finally(() => (restarting = false));
  });

  const stop = (): void => {
    stopping = true;
    // The primary exits once its workers have and nothing else holds it open.
    void metricsServer.then(closeMetricsServer);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** True once the worker listens, false if it exits first. */
function listening(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const onListening = (): void => {
      worker.off('exit', onExit);
      resolve(true);
    };
    const onExit = (): void => {
      worker.off('listening', onListening);
      resolve(false);
    };
    worker.once('listening', onListening);
    worker.once('exit', onExit);
  });
}

/**
 * The primary first stops handing the worker new connections (`disconnect` removes it from the
 * round-robin at once, and closes its servers once their requests are answered); only then does
 * SIGTERM run Nest's shutdown hooks. A worker that exits while the primary is still handing it
 * a connection strands that connection: nobody answers it and nobody closes it.
 */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.once('disconnect', () => worker.process.kill('SIGTERM'));
    worker.disconnect();
  });
}
