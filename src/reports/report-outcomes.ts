import type { RecipientEvent } from '../greetings/recipient-state.js';

/**
 * What can happen to one recipient's card, as the reports count it. Each is recorded at most
 * once per recipient (a second soft bounce of one card counts once). `soft-bounced` and
 * `complained` come from asynchronous bounce and feedback reports, `unsubscribed` from the
 * recipient's unsubscribe link.
 */
export const REPORT_OUTCOMES = [
  'accepted',
  'delivered',
  'bounced',
  'soft-bounced',
  'complained',
  'opened',
  'unsubscribed',
  'reminded',
  'cancelled',
  'suppressed',
  'failed',
] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/**
 * The outcome a recipient transition records, by its event. A transition whose event is listed
 * here records its fact in the transaction that moves the recipient (RecipientsRepository), so a
 * new transition counts in the reports by adding one line.
 */
export const OUTCOME_OF_EVENT: Partial<Record<RecipientEvent, ReportOutcome>> = {
  accept: 'delivered',
  bounce: 'bounced',
  'soft-bounce': 'soft-bounced',
  complain: 'complained',
  open: 'opened',
  cancel: 'cancelled',
  suppress: 'suppressed',
  'give-up': 'failed',
};

/**
 * Upper bounds (ms) of the delivery-delay buckets: scheduled time (or the send, for "now") to
 * the receiving server's acceptance. 60 s is a bound because the on-time promise is 60 s.
 */
export const DELAY_BOUNDS_MS = [
  1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000, 86_400_000,
] as const;

/** Upper bounds (ms) of the page-latency buckets counted per site and hour. */
export const LATENCY_BOUNDS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** The label of the bucket above every bound. */
export const OVER_LAST_BOUND = 'inf';

/** The bucket a value falls in, as stored: its upper bound, or `inf`. */
export function bucketOf(bounds: readonly number[], value: number): string {
  for (const bound of bounds) if (value <= bound) return String(bound);
  return OVER_LAST_BOUND;
}
