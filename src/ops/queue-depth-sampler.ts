import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { JobQueues } from '../platform/queue/job-queues.js';
import { type QueueName, QUEUES } from '../platform/queue/jobs.js';
import { queueJobs } from '../platform/observability/worker-metrics.js';

export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export type QueueDepth = Record<QueueState, number>;

/** Often enough for a dashboard, cheap enough to run in every worker (one call per queue). */
const SAMPLE_MS = 5000;

/**
 * Job counts per queue and state, sampled on a timer into `ecard_queue_jobs` and kept for the
 * watchdog. The counts are the queues', not the process's: every worker reports the same.
 */
@Injectable()
export class QueueDepthSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private latest: Partial<Record<QueueName, QueueDepth>> = {};

  constructor(private readonly queues: JobQueues) {}

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Samples every queue now; a queue Redis cannot answer for is left out. */
  async sample(): Promise<Partial<Record<QueueName, QueueDepth>>> {
    const result: Partial<Record<QueueName, QueueDepth>> = {};
    await Promise.all(
      Object.values(QUEUES).map(async (name) => {
        try {
          const counts = await this.queues.use(name, (q) => q.getJobCounts(...QUEUE_STATES));
          const depth = Object.fromEntries(
            QUEUE_STATES.map((state) => [state, counts[state] ?? 0]),
          ) as QueueDepth;
          for (const state of QUEUE_STATES) queueJobs.set({ queue: name, state }, depth[state]);
          result[name] = depth;
        } catch {
          // Redis away: keep the last values; the watchdog cannot run without Redis either.
        }
      }),
    );
    this.latest = { ...this.latest, ...result };
    return result;
  }

  last(): Partial<Record<QueueName, QueueDepth>> {
    return this.latest;
  }
}
