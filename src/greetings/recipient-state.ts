/**
 * The life of one recipient's email, as one table. Every status change in the code goes through
 * `assertTransition`, and `npm run fsm:diagram` draws docs/recipient-states.mmd from this table,
 * so the picture cannot drift from the behaviour.
 */
export const RECIPIENT_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'delivered',
  'opened',
  'failed',
  'bounced',
  'cancelled',
  'suppressed',
  'complained',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export type RecipientEvent =
  | 'dispatch'
  | 'reschedule'
  | 'claim'
  | 'accept'
  | 'retry'
  | 'give-up'
  | 'bounce'
  | 'open'
  | 'cancel'
  | 'suppress'
  | 'requeue'
  | 'soft-bounce'
  | 'complain';

/**
 * The history line of an unsubscribe: the recipient opted out from their email's link. It
 * changes no status (a card already delivered or opened stays so), so it is no transition of
 * the table below, only a line in the recipient's history.
 */
export const UNSUBSCRIBE_EVENT = 'unsubscribe';

export interface Transition {
  from: RecipientStatus;
  to: RecipientStatus;
  on: RecipientEvent;
  /** One line for the diagram and the docs. */
  why: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'scheduled', to: 'queued', on: 'dispatch', why: 'relay put its job on the queue' },
  { from: 'scheduled', to: 'cancelled', on: 'cancel', why: 'sender cancelled' },
  { from: 'queued', to: 'sending', on: 'claim', why: 'a worker took it (conditional update)' },
  { from: 'queued', to: 'scheduled', on: 'reschedule', why: 'sender moved the date' },
  { from: 'queued', to: 'cancelled', on: 'cancel', why: 'sender cancelled' },
  { from: 'queued', to: 'suppressed', on: 'suppress', why: 'address is on the suppression list' },
  { from: 'sending', to: 'delivered', on: 'accept', why: 'SMTP server accepted it' },
  { from: 'sending', to: 'queued', on: 'retry', why: 'transient error, retried with backoff' },
  { from: 'sending', to: 'failed', on: 'give-up', why: 'transient errors, attempts used up' },
  { from: 'sending', to: 'bounced', on: 'bounce', why: 'permanent (5xx) refusal' },
  { from: 'delivered', to: 'opened', on: 'open', why: 'first open of the pickup page' },
  {
    from: 'delivered',
    to: 'bounced',
    on: 'bounce',
    why: 'a hard-bounce report (DSN) came back after acceptance',
  },
  {
    from: 'delivered',
    to: 'delivered',
    on: 'soft-bounce',
    why: 'a delay or temporary-failure report: counted, the mail may still arrive',
  },
  { from: 'delivered', to: 'complained', on: 'complain', why: 'a feedback-loop spam report' },
  { from: 'opened', to: 'complained', on: 'complain', why: 'a feedback-loop spam report' },
  { from: 'failed', to: 'scheduled', on: 'requeue', why: 'operator ran requeue-failed' },
];

/** States no event leads out of: the recipient's story is over. */
export const FINAL_STATUSES: readonly RecipientStatus[] = RECIPIENT_STATUSES.filter(
  (s) => !TRANSITIONS.some((t) => t.from === s),
);

export class IllegalTransition extends Error {
  constructor(
    readonly from: RecipientStatus,
    readonly to: RecipientStatus,
  ) {
    super(`a recipient cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransition';
  }
}

const TABLE = new Map<string, Transition>(TRANSITIONS.map((t) => [`${t.from}>${t.to}`, t]));

export function transitionOf(from: RecipientStatus, to: RecipientStatus): Transition | undefined {
  return TABLE.get(`${from}>${to}`);
}

export function canTransition(from: RecipientStatus, to: RecipientStatus): boolean {
  return TABLE.has(`${from}>${to}`);
}

/** The transition from one status to another; throws when the table does not allow it. */
export function assertTransition(from: RecipientStatus, to: RecipientStatus): Transition {
  const transition = transitionOf(from, to);
  if (!transition) throw new IllegalTransition(from, to);
  return transition;
}
