import { JOB_NAMES, type JobName, type JobPayloads } from './jobs.js';

export interface JobContext {
  /** 1 for the first run of this job, 2 for its first retry... */
  attempt: number;
  maxAttempts: number;
  /** True when a failure now would be the job's last; the handler records the final state. */
  finalAttempt: boolean;
  /** Puts the job back to wait until `until`; ends the current run (never returns). */
  postpone(until: Date): Promise<never>;
}

/** One job name's processor. Handlers are idempotent: the database decides what is left to do. */
export interface JobHandler<N extends JobName = JobName> {
  readonly job: N;
  handle(payload: JobPayloads[N], context: JobContext): Promise<void>;
}

/** Injection token for the list of every handler the worker process runs. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

export class JobRegistryError extends Error {
  constructor(problems: string[]) {
    super(`job handlers do not match the job registry:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobRegistryError';
  }
}

/**
 * Every job name in the registry must have exactly one handler, checked before a worker takes
 * any job: a job nobody handles would fail forever, and two handlers would race.
 */
export function handlersByName(handlers: readonly JobHandler[]): Map<JobName, JobHandler> {
  const problems: string[] = [];
  const byName = new Map<JobName, JobHandler>();
  for (const handler of handlers) {
    if (byName.has(handler.job)) problems.push(`"${handler.job}" has two handlers`);
    byName.set(handler.job, handler);
  }
  for (const name of JOB_NAMES) {
    if (!byName.has(name)) problems.push(`"${name}" has no handler`);
  }
  if (problems.length > 0) throw new JobRegistryError(problems);
  return byName;
}
