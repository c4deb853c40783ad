import type { ReceivedMail } from '../../delivery/support/smtp-sink.js';

/**
 * A copy whose first arrived this long before a worker was SIGKILLed may have been in the one
 * window no database can close: accepted by SMTP, not yet recorded. Its resend carries the same
 * Message-ID, so mailboxes drop it.
 */
const KILL_WINDOW_MS = 1000;

export interface MailboxTally {
  /** Messages that reached this recipient, copies included. */
  received: number;
  /** A second email: another Message-ID, or a same-id copy no worker kill explains. */
  duplicated: boolean;
  /** Same-id copies explained by a worker killed between the SMTP accept and the record. */
  resendsAfterKill: number;
}

/** What one recipient's mailbox got, judged against the promise of one email each. */
export function tallyMailbox(
  address: string,
  mail: readonly ReceivedMail[],
  workerKilledAt: number | null,
): MailboxTally {
  const mine = mail.filter((m) => m.to.includes(address));
  const first = new Map<string, number>();
  for (const m of mine) {
    first.set(m.messageId, Math.min(first.get(m.messageId) ?? Infinity, m.receivedAt));
  }
  const copies = mine.length - first.size;
  const [firstAt] = [...first.values()];
  const killExplains =
    workerKilledAt !== null &&
    firstAt !== undefined &&
    firstAt <= workerKilledAt &&
    workerKilledAt - firstAt <= KILL_WINDOW_MS;
  return {
    received: mine.length,
    duplicated: first.size > 1 || (copies > 0 && !killExplains),
    resendsAfterKill: first.size === 1 && killExplains ? copies : 0,
  };
}
