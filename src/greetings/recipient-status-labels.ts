import type { RecipientStatus } from './recipient-state.js';

/** Each recipient state as the sender reads it on the manage page. */
export const RECIPIENT_STATUS_LABELS: Readonly<Record<RecipientStatus, string>> = {
  scheduled: 'Scheduled',
  queued: 'Waiting to go out',
  sending: 'Sending',
  delivered: 'Delivered',
  opened: 'Opened',
  failed: 'Could not be delivered',
  bounced: 'Bounced back',
  cancelled: 'Cancelled',
  suppressed: 'Not sent: this address opted out',
  complained: 'Reported as unwanted',
};
