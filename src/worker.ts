import { exitWithFailure } from './common/fatal.js';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config/app-config.js';
import { DeliveryRunner } from './delivery/delivery-runner.js';
import { DeliveryWorkerModule } from './delivery/delivery-worker.module.js';
import { createRootLogger, lifecycleLogger } from './platform/observability/logger.js';
import { NestPinoLogger } from './platform/observability/nest-pino-logger.js';
import { withWorkerOps } from './ops/worker-ops.module.js';

/**
 * The worker process: outbox relay, delivery and notification processors, reminder scans.
 * An application context only, no HTTP server. Run as many as needed; they share the work
 * through the database (SKIP LOCKED) and the queues.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, availableParallelism());
  const logger = createRootLogger(config, 'worker');
  const app = await NestFactory.createApplicationContext(
    withWorkerOps(DeliveryWorkerModule.forRoot(config), logger),
    {
      logger: new NestPinoLogger(logger),
    },
  );
  const runner = app.get(DeliveryRunner);
  await runner.start();
  const lifecycle = lifecycleLogger(logger);
  lifecycle.info('worker started');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    lifecycle.info(`${signal}: draining`);
    runner
      .stop()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stopping failed');
          logger.flush(() => process.exit(1));
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => exitWithFailure(error, (e) => e instanceof ConfigError));
