import { randomUUID } from 'node:crypto';
import type { RequestOrigin } from '../platform/observability/request-context.js';
import type { Site } from '../sites/site.js';
import type { SendGreetingCommand } from './dto/send-greeting.schema.js';
import type { NewGreeting } from './greetings.repository.js';
import { outboxRow } from './outbox-rows.js';
import { newRecipientId } from './signed-links.js';

/** Who sends a greeting, as far as the platform knows. */
export interface GreetingSender {
  /** The signed-in member sending it, whose history it joins. */
  memberId: string | null;
  /**
   * The sender's address is known to be theirs (a verified member's own, or vouched for by an
   * API key's holder): only such an address is mailed notices about the card.
   */
  verified: boolean;
}

/** Someone who typed a name and an address: nothing proves the address is theirs. */
export const UNVERIFIED_SENDER: GreetingSender = Object.freeze({ memberId: null, verified: false });

/**
 * Everything one send writes, with ids made here rather than by the database: the same record
 * can go to the primary now or to the spool and the primary later, and keep its pickup links.
 */
export function newGreetingRecord(
  site: Site,
  cardId: number,
  command: SendGreetingCommand,
  requestHash: string,
  now: Date,
  origin: RequestOrigin | null = null,
  sender: GreetingSender = UNVERIFIED_SENDER,
): NewGreeting {
  const from = origin ? { origin } : {};
  const greetingId = randomUUID();
  const recipients = command.recipients.map((r, position) => ({
    id: newRecipientId(),
    greetingId,
    position,
    name: r.name,
    email: r.email,
    status: 'scheduled' as const,
    attempts: 0,
    statusChangedAt: now,
    deliveredAt: null,
    openedAt: null,
    remindedAt: null,
    lastError: null,
    createdAt: now,
  }));
  return {
    greeting: {
      id: greetingId,
      siteId: site.id,
      memberId: sender.memberId,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      cardId,
      senderName: command.sender.name,
      senderEmail: command.sender.email,
      senderVerified: sender.verified,
      message: command.message,
      messageFont: command.font,
      messageInk: command.ink,
      insideText: command.verse,
      photoId: command.photoId ?? null,
      sendAt: command.sendAt,
      timeZone: command.timeZone,
      status: command.sendAt ? 'scheduled' : 'accepted',
      createdAt: now,
      updatedAt: now,
      personalDataRemovedAt: null,
    },
    recipients,
    outbox: [
      ...recipients.map((r) =>
        outboxRow(
          { name: 'deliver-greeting', payload: { recipientId: r.id }, ...from },
          command.sendAt ?? now,
          now,
        ),
      ),
      // A scheduled card gets the sender a note with the link to change or cancel it, when the
      // address is theirs; anyone else has the link on the confirmation page only.
      ...(command.sendAt && sender.verified
        ? [
            outboxRow(
              { name: 'notify-sender-scheduled', payload: { greetingId }, ...from },
              now,
              now,
            ),
          ]
        : []),
    ],
  };
}
