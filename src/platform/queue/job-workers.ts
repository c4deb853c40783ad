import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { observeJobs } from '../observability/job-metrics.js';
import { runAs } from '../observability/request-context.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { jitteredBackoff } from './backoff.js';
import { handlersByName, JOB_HANDLERS, type JobHandler } from './job-handler.js';
import { type JobName, parseJob, type QueueName, queueOf, QUEUES } from './jobs.js';
import { queueConnection } from './queue-connections.js';

/** Sender notices and reminders are few; the delivery queue gets the configured concurrency. */
const NOTIFICATION_CONCURRENCY = 4;
/** How long a graceful stop waits for in-flight jobs before leaving them to be taken up again. */
const DRAIN_TIMEOUT_MS = 20_000;

/**
 * Consumer side of the queues: one BullMQ worker per queue, dispatching each job by name to its
 * handler. Not started by Nest on its own: only the worker process calls `start()`.
 */
@Injectable()
export class JobWorkers {
  private readonly logger = new Logger('Jobs');
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
  ) {
    this.handlers = handlersByName(handlers);
  }

  start(): void {
    for (const queue of Object.values(QUEUES)) this.workers.push(this.createWorker(queue));
  }

  /** Stops taking jobs and waits for running ones; past the timeout they are left to stall. */
  async stop(): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), DRAIN_TIMEOUT_MS).unref()),
    ]);
    if (timedOut) {
      this.logger.warn('in-flight jobs did not finish in time; leaving them to other workers');
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
    this.workers.length = 0;
  }

  private createWorker(queue: QueueName): Worker {
    const { delivery } = this.config;
    const isDelivery = queue === QUEUES.delivery;
    const worker = new Worker(queue, (job: Job, token?: string) => this.run(job, token), {
      connection: queueConnection(this.config.redisUrl, 'worker', `worker-${queue}`),
      prefix: delivery.queuePrefix,
      concurrency: isDelivery ? delivery.concurrency : NOTIFICATION_CONCURRENCY,
      lockDuration: delivery.lockMs,
      stalledInterval: Math.max(1000, Math.floor(delivery.lockMs / 2)),
      maxStalledCount: 5,
      ...(isDelivery && delivery.ratePerSecond > 0
        ? { limiter: { max: delivery.ratePerSecond, duration: 1000 } }
        : {}),
      settings: {
        backoffStrategy: (attemptsMade: number) =>
          jitteredBackoff(attemptsMade, delivery.backoffMs),
      },
    });
    observeJobs(worker);
    worker.on('error', (error: Error) => this.logger.warn(`${queue}: ${error.message}`));
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.warn(`${queue}: ${job.name} ${job.id} failed for good: ${error.message}`);
      }
    });
    return worker;
  }

  private async run(job: Job, token: string | undefined): Promise<void> {
    const request = parseJob(job.name, job.data);
    // A malformed job can never succeed: fail it at once rather than retry it.
    if (!request || queueOf(request.name) !== job.queueName) {
      throw new UnrecoverableError(`unknown job ${job.name} or malformed payload`);
    }
    const handler = this.handlers.get(request.name) as JobHandler;
    const maxAttempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const work = () =>
      handler.handle(request.payload, {
        attempt,
        maxAttempts,
        finalAttempt: attempt >= maxAttempts,
        postpone: async (until) => {
          await job.moveToDelayed(until.getTime(), token);
          // BullMQ's signal that the job was moved on purpose, not failed.
          throw new DelayedError();
        },
      });
    // The job's lines carry the id of the request that caused it (see request-context.ts).
    await (request.origin ? runAs(request.origin, work) : work());
  }
}
