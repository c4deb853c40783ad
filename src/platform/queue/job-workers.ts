import { BullModule, BullRegistrar } from '@nestjs/bullmq';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { observeJobs } from '../observability/job-metrics.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { JobDispatcher } from './job-dispatcher.js';
import { QueueProcessor, queueProcessors } from './job-processors.js';
import { queueConnection } from './queue-connections.js';
import { closeConnection } from '../redis/close-connection.js';

/** How long a graceful stop waits for in-flight jobs before saying they are slow. */
const DRAIN_TIMEOUT_MS = 20_000;

const QUEUE_PROCESSORS = Symbol('QUEUE_PROCESSORS');

/**
 * The queue Redis (REDIS_QUEUE_URL, not the cache's) as workers use it: it waits through an
 * outage. Made when the first worker is, so a process that boots the module without starting
 * workers (or fails its boot check) opens nothing. BullMQ never sends on this client: each
 * worker duplicates it for connections of its own, so it is closed here, not by the workers.
 */
@Injectable()
export class WorkerQueueConnection implements OnApplicationShutdown {
  private client: Redis | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(): Redis {
    this.client ??= queueConnection(this.config.redisUrl, 'worker', 'worker');
    return this.client;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await closeConnection(this.client);
  }
}

/**
 * Starts and stops the queue processors. Registration is manual: workers exist only once the
 * worker process calls `start()`, never when a module merely boots.
 */
@Injectable()
export class JobWorkers {
  private readonly logger = new Logger('Jobs');
  private started = false;

  constructor(
    private readonly registrar: BullRegistrar,
    @Inject(QUEUE_PROCESSORS) private readonly processors: QueueProcessor[],
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.registrar.register();
    for (const processor of this.processors) observeJobs(processor.worker);
  }

  /** Stops taking jobs and waits for running ones (a kill meanwhile leaves them to stall). */
  async stop(): Promise<void> {
    if (!this.started) return;
    const closing = Promise.all(this.processors.map((p) => p.worker.close()));
    const timer = setTimeout(
      () => this.logger.warn('in-flight jobs are still running; a kill now leaves them to retry'),
      DRAIN_TIMEOUT_MS,
    );
    timer.unref();
    await closing.finally(() => clearTimeout(timer));
  }
}

/**
 * What the worker process adds to its module: BullModule on the queue Redis with the queue
 * prefix, a processor per queue, the dispatcher that checks every job has one handler, and
 * `JobWorkers`. The importing module provides `JOB_HANDLERS`.
 */
export function jobWorkersFor(config: AppConfig): {
  imports: DynamicModule[];
  providers: Provider[];
} {
  const processors = queueProcessors(config);
  return {
    imports: [
      BullModule.forRootAsync({
        inject: [WorkerQueueConnection, APP_CONFIG],
        extraProviders: [WorkerQueueConnection],
        useFactory: (connection: WorkerQueueConnection, c: AppConfig) => ({
          prefix: c.delivery.queuePrefix,
          // Read by the explorer when `JobWorkers.start()` registers the workers.
          get connection() {
            return connection.get();
          },
        }),
        extraOptions: { manualRegistration: true },
      }),
      // No queues here (producers are JobQueues'); this brings in the explorer that makes a
      // worker for each @Processor class.
      BullModule.registerQueue(),
    ],
    providers: [
      JobDispatcher,
      ...processors,
      { provide: QUEUE_PROCESSORS, inject: processors, useFactory: (...p: QueueProcessor[]) => p },
      JobWorkers,
    ],
  };
}
