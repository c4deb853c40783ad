import { exitWithFailure } from './common/fatal.js';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createWebApp } from './http/web-app.js';

/**
 * The web process. With WEB_CONCURRENCY > 1 the primary forks that many workers sharing the
 * port and replaces any that die; each worker is a complete, stateless server.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, availableParallelism());
  const workers = config.http.concurrency;
  if (workers > 1 && cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork();
    let stopping = false;
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      process.stdout.write(
        `${JSON.stringify({ level: 'warn', context: 'web', message: `worker ${worker.process.pid} exited (${signal ?? code}); starting another` })}\n`,
      );
      cluster.fork();
    });
    const stop = (): void => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  const app = await createWebApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
  const url = await app.getUrl();
  process.stdout.write(
    `${JSON.stringify({ level: 'log', context: 'web', message: `listening on ${url}`, pid: process.pid })}\n`,
  );
}

main().catch((error: unknown) => exitWithFailure(error, (e) => e instanceof ConfigError));
