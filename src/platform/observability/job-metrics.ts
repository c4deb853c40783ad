import type { Job, Worker } from 'bullmq';
import { jobDuration, jobFailures } from './worker-metrics.js';

/** When this process last finished a job of each queue (heartbeats carry it). */
const lastFinished = new Map<string, number>();

/**
 * Counts a BullMQ worker's jobs from its own events: durations and failed attempts of the jobs
 * this process ran. Worker events, not QueueEvents, because QueueEvents would show every
 * process every job (counted once per process) and carry no durations.
 */
export function observeJobs(worker: Worker): void {
  const queue = worker.name;
  worker.on('completed', (job: Job) => {
    lastFinished.set(queue, Date.now());
    observe(queue, 'completed', job);
  });
  worker.on('failed', (job: Job | undefined) => {
    lastFinished.set(queue, Date.now());
    if (!job) return;
    observe(queue, 'failed', job);
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || job.finishedOn !== undefined;
    jobFailures.inc({ queue, final: String(final) });
  });
}

function observe(queue: string, outcome: 'completed' | 'failed', job: Job): void {
  if (job.processedOn === undefined) return;
  const end = job.finishedOn ?? Date.now();
  jobDuration.observe({ queue, outcome }, Math.max(0, end - job.processedOn) / 1000);
}

/** Epoch ms of the last job this process finished (completed or failed), by queue. */
export function lastJobTimes(): Record<string, number> {
  return Object.fromEntries(lastFinished);
}
