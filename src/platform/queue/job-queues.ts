import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { jobDataOf, jobIdOf, type JobRequest, type QueueName, queueOf } from './jobs.js';
import { queueConnection } from './queue-connections.js';
import { closeConnection } from '../redis/close-connection.js';

export interface EnqueueOptions {
  /** Epoch milliseconds the job becomes due; earlier or absent means now. */
  dueAt?: number;
}

export class QueueUnavailable extends Error {
  constructor() {
    super('the job queue (Redis) is not reachable right now');
    this.name = 'QueueUnavailable';
  }
}

const BOOT_WAIT_MS = 2000;

/**
 * Producer side of the queues. Jobs keep their deterministic ids, so adding one twice is a
 * no-op; completed and failed jobs are kept a while for that and for the dashboard. Calls fail
 * fast while Redis is away: every caller has the outbox (or the database state) to fall back on.
 */
@Injectable()
export class JobQueues implements OnModuleInit, OnApplicationShutdown {
  private connection: Redis | null = null;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.connection = queueConnection(this.config.redisUrl, 'producer', 'queue-producer');
    const connection = this.connection;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, BOOT_WAIT_MS);
      timer.unref();
      connection.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * The queue, created only over a live connection: BullMQ keeps a queue whose first use
   * failed broken for good, so one is never made while Redis is away.
   */
  queue(name: QueueName): Queue {
    const existing = this.queues.get(name);
    if (existing) return existing;
    if (this.connection?.status !== 'ready') throw new QueueUnavailable();
    const queue = new Queue(name, {
      connection: this.connection,
      prefix: this.config.delivery.queuePrefix,
      skipWaitingForReady: true,
      defaultJobOptions: {
        removeOnComplete: { age: 24 * 3600, count: 20_000 },
        removeOnFail: { age: 14 * 24 * 3600 },
      },
    });
    queue.on('error', () => undefined);
    this.queues.set(name, queue);
    return queue;
  }

  /** Runs `work` on the queue; a queue that failed is dropped and made afresh next time. */
  async use<T>(name: QueueName, work: (queue: Queue) => Promise<T>): Promise<T> {
    const queue = this.queue(name);
    try {
      return await work(queue);
    } catch (error) {
      if (this.connection?.status !== 'ready' && this.queues.get(name) === queue) {
        this.queues.delete(name);
        queue.close().catch(() => undefined);
      }
      throw error;
    }
  }

  /** Adds jobs to their queues; each queue's jobs go in one round trip. */
  async enqueue(requests: { job: JobRequest; options?: EnqueueOptions }[], now = Date.now()) {
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const { job, options } of requests) {
      const queue = queueOf(job.name);
      const delay = Math.max(0, (options?.dueAt ?? now) - now);
      const list = byQueue.get(queue) ?? [];
      list.push({
        name: job.name,
        data: jobDataOf(job),
        opts: { jobId: jobIdOf(job), ...(delay > 0 ? { delay } : {}), ...this.retries(job) },
      });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, jobs]) => this.use(queue, (q) => q.addBulk(jobs))));
  }

  /**
   * Removes a job that is not running (waiting, delayed, finished or failed); false when it is
   * running or unknown. Best effort: callers leave the database in a state that makes a job
   * that survives harmless.
   */
  async remove(job: JobRequest): Promise<boolean> {
    try {
      return (await this.use(queueOf(job.name), (q) => q.remove(jobIdOf(job)))) === 1;
    } catch {
      return false;
    }
  }

  private retries(job: JobRequest): { attempts: number; backoff: { type: string } } {
    // The delivery processor decides transient vs permanent itself; BullMQ only counts and
    // waits, with the jittered backoff registered by the worker under this type name.
    const attempts = job.name === 'scan-reminders' ? 1 : this.config.delivery.maxAttempts;
    return { attempts, backoff: { type: 'jittered' } };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    if (this.connection) await closeConnection(this.connection);
  }
}
