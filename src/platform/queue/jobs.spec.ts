import { jobDataOf, parseJob } from './jobs.js';

const recipientId = 'AAAAAAAAAAAAAAAAAAAAAA';
const origin = { requestId: 'trace-1', site: 'kindred' };

describe('job origin in job data', () => {
  it('travels beside the payload and comes back out of it', () => {
    const data = jobDataOf({ name: 'deliver-greeting', payload: { recipientId }, origin });
    expect(data).toEqual({ recipientId, origin });
    expect(parseJob('deliver-greeting', data)).toEqual({
      name: 'deliver-greeting',
      payload: { recipientId },
      origin,
    });
  });

  it('leaves a job without one as it was', () => {
    expect(jobDataOf({ name: 'deliver-greeting', payload: { recipientId } })).toEqual({
      recipientId,
    });
    expect(parseJob('scan-reminders', {})).toEqual({ name: 'scan-reminders', payload: {} });
  });

  it('drops an origin that could break a log line, and keeps the job', () => {
    const data = { recipientId, origin: { requestId: 'bad id\n{"level":"fatal"}', site: 'x' } };
    expect(parseJob('deliver-greeting', data)).toEqual({
      name: 'deliver-greeting',
      payload: { recipientId },
    });
  });

  it('does not let an origin make a strict payload malformed', () => {
    expect(parseJob('scan-reminders', { origin })).toEqual({
      name: 'scan-reminders',
      payload: {},
      origin,
    });
  });
});
