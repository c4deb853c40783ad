import { exitWithFailure } from './common/fatal.js';
import 'reflect-metadata';
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { availableParallelism } from 'node:os';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DeliveryRunner } from './delivery/delivery-runner.js';
import { DeliveryWorkerModule } from './delivery/delivery-worker.module.js';

/**
 * The worker process: outbox relay, delivery and notification processors, reminder scans.
 * An application context only, no HTTP server. Run as many as needed; they share the work
 * through the database (SKIP LOCKED) and the queues.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, availableParallelism());
  const app = await NestFactory.createApplicationContext(DeliveryWorkerModule.forRoot(config), {
    logger: workerLogger(config),
  });
  const runner = app.get(DeliveryRunner);
  await runner.start();
  process.stdout.write(
    `${JSON.stringify({ level: 'log', context: 'worker', message: 'worker started', pid: process.pid })}\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `${JSON.stringify({ level: 'log', context: 'worker', message: `${signal}: draining` })}\n`,
    );
    runner
      .stop()
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** JSON lines outside development, like the web process, so one log pipeline reads both. */
function workerLogger(config: AppConfig): ConsoleLogger {
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  const levels: LogLevel[] = verbose
    ? ['fatal', 'error', 'warn', 'log', 'debug']
    : ['fatal', 'error', 'warn', 'log'];
  return new ConsoleLogger('worker', {
    json: config.stage !== 'development',
    colors: config.stage === 'development',
    logLevels: config.logLevel === 'silent' ? [] : levels,
  });
}

main().catch((error: unknown) => exitWithFailure(error, (e) => e instanceof ConfigError));
