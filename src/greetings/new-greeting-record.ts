import { randomUUID } from 'node:crypto';
import type { RequestOrigin } from '../platform/observability/request-context.js';
import type { Site } from '../sites/site.js';
import type { SendGreetingCommand } from './dto/send-greeting.schema.js';
import type { NewGreeting } from './greetings.repository.js';
import { outboxRow } from './outbox-rows.js';
import { newRecipientId } from './signed-links.js';

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
  memberId: string | null = null,
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
      memberId,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      cardId,
      senderName: command.sender.name,
      senderEmail: command.sender.email,
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
      // A scheduled card gets the sender a note with the link to change or cancel it.
      ...(command.sendAt
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
