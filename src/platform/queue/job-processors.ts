import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type Type } from '@nestjs/common';
import type { Job, WorkerOptions } from 'bullmq';
import type { AppConfig } from '../../config/app-config.js';
import { jitteredBackoff } from './backoff.js';
import { JobDispatcher } from './job-dispatcher.js';
import { type QueueName, QUEUES } from './jobs.js';

/** Sender notices and reminders are few; the delivery queue gets the configured concurrency. */
const NOTIFICATION_CONCURRENCY = 4;

/** A queue's worker settings, from this deployment's configuration (the connection is shared). */
export function workerOptions(
  queue: QueueName,
  config: AppConfig,
): Omit<WorkerOptions, 'connection'> {
  const { delivery } = config;
  const isDelivery = queue === QUEUES.delivery;
  return {
    concurrency: isDelivery ? delivery.concurrency : NOTIFICATION_CONCURRENCY,
    lockDuration: delivery.lockMs,
    stalledInterval: Math.max(1000, Math.floor(delivery.lockMs / 2)),
    maxStalledCount: 5,
    ...(isDelivery && delivery.ratePerSecond > 0
      ? { limiter: { max: delivery.ratePerSecond, duration: 1000 } }
      : {}),
    settings: {
      // Jobs ask for this strategy by its type name, 'jittered' (see job-queues.ts).
      backoffStrategy: (attemptsMade: number) => jitteredBackoff(attemptsMade, delivery.backoffMs),
    },
  };
}

/**
 * One queue's consumer: Nest's BullMQ explorer makes its worker, and every job goes to the
 * dispatcher, which finds the handler by job name.
 */
@Injectable()
export class QueueProcessor extends WorkerHost {
  private readonly logger = new Logger('Jobs');

  constructor(private readonly jobs: JobDispatcher) {
    super();
  }

  process(job: Job, token?: string): Promise<void> {
    return this.jobs.run(job, token);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`${this.worker.name}: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      this.logger.warn(`${job.queueName}: ${job.name} ${job.id} failed for good: ${error.message}`);
    }
  }
}

/**
 * A processor class per queue, each with `@Processor` metadata carrying that queue's worker
 * options. Classes are made per call, not decorated once at import, because the options come
 * from the configuration the worker process was started with.
 */
export function queueProcessors(config: AppConfig): Type<QueueProcessor>[] {
  return Object.values(QUEUES).map((queue) => {
    const processor = class extends QueueProcessor {};
    Object.defineProperty(processor, 'name', { value: `${queue}-processor` });
    Processor(queue, workerOptions(queue, config))(processor);
    return processor;
  });
}
