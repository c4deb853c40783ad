import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { runAs } from '../observability/request-context.js';
import { handlersByName, JOB_HANDLERS, type JobHandler } from './job-handler.js';
import { type JobName, parseJob, queueOf } from './jobs.js';

/**
 * Hands each job to its handler by name, after checking the payload against the job registry.
 * Built when the worker's module boots, so a job with no handler, or two, stops the boot
 * before any worker takes a job.
 */
@Injectable()
export class JobDispatcher {
  private readonly handlers: Map<JobName, JobHandler>;

  constructor(@Inject(JOB_HANDLERS) handlers: JobHandler[]) {
    this.handlers = handlersByName(handlers);
  }

  async run(job: Job, token: string | undefined): Promise<void> {
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
