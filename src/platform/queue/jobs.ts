import { z } from 'zod';
import type { RequestOrigin } from '../observability/request-context.js';

/**
 * Every queue, job name and payload in one place. Producers (the outbox, the relay) and
 * processors import from here, so they cannot disagree about a name or a payload's shape; the
 * worker refuses to boot when a job here has no handler, or two.
 */
export const QUEUES = {
  /** Greeting emails to recipients: the hot path, scaled by DELIVERY_CONCURRENCY. */
  delivery: 'delivery',
  /** Emails to senders, reminders and the periodic reminder scan. */
  notifications: 'notifications',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'deliver-greeting': { recipientId: string };
  'notify-sender-scheduled': { greetingId: string };
  'notify-sender-opened': { recipientId: string };
  'send-reminder': { recipientId: string };
  'scan-reminders': Record<string, never>;
  'purge-personal-data': Record<string, never>;
  /** A member's emailed link; the worker makes its one-time token, so no secret is queued. */
  'send-account-email': {
    siteId: string;
    memberId: string;
    purpose: 'verify-email' | 'sign-in' | 'reset-password';
    /** Each asked email is its own job: the id of this ask. */
    emailId: string;
  };
  'roll-up-reports': Record<string, never>;
  /**
   * Members' reminders due today in one site and time zone: run daily by that bucket's job
   * scheduler; `on` (a local date) is for running a given day's scan by hand.
   */
  'scan-member-reminders': { siteId: string; timeZone: string; on?: string };
  /**
   * One member reminder email, for the occurrence (a local date) it was claimed for by the
   * scan of local day `on`.
   */
  'send-member-reminder': { reminderId: string; occurrence: string; on: string };
  /** A partner console invite or reset link; the worker makes the token, as for members. */
  'send-partner-email': {
    personId: string;
    purpose: 'invite' | 'reset-password';
    emailId: string;
  };
}
export type JobName = keyof JobPayloads;

interface JobSpec<N extends JobName> {
  queue: QueueName;
  /** Checks a payload read back from Redis or the outbox before a handler trusts it. */
  schema: z.ZodType<JobPayloads[N]>;
  /** Deterministic id: adding the same job twice adds nothing. */
  jobId(payload: JobPayloads[N]): string;
  /** Unique key of the job's outbox row, so the same job is never written twice. */
  outboxKey(payload: JobPayloads[N]): string;
}

const recipientRef = z.object({ recipientId: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });
const greetingRef = z.object({ greetingId: z.uuid() });

export const JOBS: { readonly [N in JobName]: JobSpec<N> } = {
  'deliver-greeting': {
    queue: QUEUES.delivery,
    schema: recipientRef,
    jobId: (p) => p.recipientId,
    outboxKey: (p) => `deliver:${p.recipientId}`,
  },
  'notify-sender-scheduled': {
    queue: QUEUES.notifications,
    schema: greetingRef,
    jobId: (p) => `sched-${p.greetingId}`,
    outboxKey: (p) => `scheduled:${p.greetingId}`,
  },
  'notify-sender-opened': {
    queue: QUEUES.notifications,
    schema: recipientRef,
    jobId: (p) => `opened-${p.recipientId}`,
    outboxKey: (p) => `opened:${p.recipientId}`,
  },
  'send-reminder': {
    queue: QUEUES.notifications,
    schema: recipientRef,
    jobId: (p) => `remind-${p.recipientId}`,
    outboxKey: (p) => `remind:${p.recipientId}`,
  },
  'scan-reminders': {
    queue: QUEUES.notifications,
    schema: z.object({}).strict(),
    jobId: () => 'scan-reminders',
    outboxKey: () => 'scan-reminders',
  },
  /** The retention schedule: personal data of old greetings removed (src/security). */
  'purge-personal-data': {
    queue: QUEUES.notifications,
    schema: z.object({}).strict(),
    jobId: () => 'purge-personal-data',
    outboxKey: () => 'purge-personal-data',
  },
  'send-account-email': {
    queue: QUEUES.notifications,
    schema: z.object({
      siteId: z.string().regex(/^[a-z0-9-]{1,32}$/),
      memberId: z.uuid(),
      purpose: z.enum(['verify-email', 'sign-in', 'reset-password']),
      emailId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    }),
    jobId: (p) => `account-${p.emailId}`,
    outboxKey: (p) => `account:${p.emailId}`,
  },
  /** Report facts rolled up into hourly and daily aggregates (src/reports). */
  'roll-up-reports': {
    queue: QUEUES.notifications,
    schema: z.object({}).strict(),
    jobId: () => 'roll-up-reports',
    outboxKey: () => 'roll-up-reports',
  },
  'scan-member-reminders': {
    queue: QUEUES.notifications,
    schema: z.object({
      siteId: z.string().regex(/^[a-z0-9-]{1,32}$/),
      timeZone: z.string().regex(/^[A-Za-z0-9_+\-/]{1,64}$/),
      on: z.iso.date().optional(),
    }),
    jobId: (p) => `member-scan-${p.siteId}-${p.timeZone.replace(/\//g, '_')}-${p.on ?? 'today'}`,
    outboxKey: (p) => `member-scan:${p.siteId}:${p.timeZone}:${p.on ?? 'today'}`,
  },
  'send-member-reminder': {
    queue: QUEUES.notifications,
    schema: z.object({ reminderId: z.uuid(), occurrence: z.iso.date(), on: z.iso.date() }),
    jobId: (p) => `member-reminder-${p.reminderId}-${p.occurrence}`,
    outboxKey: (p) => `member-reminder:${p.reminderId}:${p.occurrence}`,
  },
  'send-partner-email': {
    queue: QUEUES.notifications,
    schema: z.object({
      personId: z.uuid(),
      purpose: z.enum(['invite', 'reset-password']),
      emailId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    }),
    jobId: (p) => `partner-${p.emailId}`,
    outboxKey: (p) => `partner:${p.emailId}`,
  },
};

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(value: string): value is JobName {
  return Object.prototype.hasOwnProperty.call(JOBS, value);
}

/**
 * A job as it travels: name and payload checked together by the compiler, and the request that
 * caused it, when one did (its worker lines then carry that request's id and site).
 */
export type JobRequest = {
  [N in JobName]: { name: N; payload: JobPayloads[N]; origin?: RequestOrigin };
}[JobName];

/** A job's data in Redis: its payload, and beside it the origin (never part of the payload). */
export type JobData = Record<string, unknown> & { origin?: RequestOrigin };

const origin = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  site: z.string().max(32),
});

export function jobDataOf(request: JobRequest): JobData {
  return request.origin ? { ...request.payload, origin: request.origin } : request.payload;
}

export function jobIdOf(request: JobRequest): string {
  // The union is correlated by construction; TypeScript cannot follow it through the index.
  const spec = JOBS[request.name] as JobSpec<JobName>;
  return spec.jobId(request.payload);
}

export function outboxKeyOf(request: JobRequest): string {
  const spec = JOBS[request.name] as JobSpec<JobName>;
  return spec.outboxKey(request.payload);
}

/**
 * A job request from untrusted data (an outbox row's payload, a Redis job's data), or null when
 * malformed. An origin that does not parse is dropped: it only labels log lines.
 */
export function parseJob(name: string, data: unknown): JobRequest | null {
  if (!isJobName(name)) return null;
  let payload = data;
  let found: RequestOrigin | undefined;
  if (typeof data === 'object' && data !== null && 'origin' in data) {
    const { origin: given, ...rest } = data as JobData;
    payload = rest;
    const checked = origin.safeParse(given);
    if (checked.success) found = checked.data;
  }
  const parsed = (JOBS[name].schema as z.ZodType).safeParse(payload);
  if (!parsed.success) return null;
  return (
    found ? { name, payload: parsed.data, origin: found } : { name, payload: parsed.data }
  ) as JobRequest;
}

/** Where a job's outbox row is routed: the outbox topic is the job name. */
export function queueOf(name: JobName): QueueName {
  return JOBS[name].queue;
}

/** Channel on which web processes nudge the relay right after a send commits. */
export function outboxNudgeChannel(queuePrefix: string): string {
  return `${queuePrefix}:outbox:nudge`;
}
