import { type JobRequest, outboxKeyOf } from '../platform/queue/jobs.js';
import type { OutboxMessage } from './outbox-message.entity.js';

/**
 * The outbox row that becomes `job` once it is due; the topic is the job's registered name, and
 * the job's origin rides in its own columns so the job can carry it on.
 */
export function outboxRow(
  job: JobRequest,
  availableAt: Date,
  now: Date,
): Omit<OutboxMessage, 'id'> {
  return {
    topic: job.name,
    messageKey: outboxKeyOf(job),
    payload: { ...job.payload },
    availableAt,
    dispatchedAt: null,
    attempts: 0,
    lastError: null,
    requestId: job.origin?.requestId ?? null,
    siteId: job.origin?.site ?? null,
    createdAt: now,
  };
}
