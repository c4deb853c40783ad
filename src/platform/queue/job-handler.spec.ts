import { handlersByName, type JobHandler, JobRegistryError } from './job-handler.js';
import { JOB_NAMES, type JobName } from './jobs.js';

const handler = (job: JobName): JobHandler => ({ job, handle: async () => undefined });

describe('job handler registry check', () => {
  it('accepts exactly one handler per job name', () => {
    expect(handlersByName(JOB_NAMES.map(handler)).size).toBe(JOB_NAMES.length);
  });

  it('refuses a job with no handler', () => {
    const some = JOB_NAMES.filter((n) => n !== 'send-reminder').map(handler);
    expect(() => handlersByName(some)).toThrow(JobRegistryError);
    expect(() => handlersByName(some)).toThrow('"send-reminder" has no handler');
  });

  it('refuses a job with two handlers', () => {
    const twice = [...JOB_NAMES.map(handler), handler('deliver-greeting')];
    expect(() => handlersByName(twice)).toThrow('"deliver-greeting" has two handlers');
  });
});
