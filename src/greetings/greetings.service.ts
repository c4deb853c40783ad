import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { CatalogService, type CardView } from '../catalog/catalog.service.js';
import { IdempotencyConflict, NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import type { Site } from '../sites/site.js';
import type { SendGreetingCommand } from './dto/send-greeting.schema.js';
import type { GreetingRecipient } from './greeting-recipient.entity.js';
import type { Greeting } from './greeting.entity.js';
import { GreetingsRepository } from './greetings.repository.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import { outboxRow } from './outbox-rows.js';
import { RecipientsRepository } from './recipients.repository.js';
import { newRecipientId, SignedLinks } from './signed-links.js';

export interface SentGreeting {
  id: string;
  status: Greeting['status'];
  sendAt: Date | null;
  timeZone: string;
  /** True when an earlier request with the same idempotency key already created it. */
  replayed: boolean;
  confirmationPath: string;
  recipients: { name: string; email: string; pickupUrl: string }[];
}

export interface PickupView {
  card: CardView;
  greeting: { senderName: string; senderEmail: string; message: string; sentAt: Date };
  recipient: { name: string };
  firstOpen: boolean;
}

/** Sending a greeting and opening it: the core of the product. */
@Injectable()
export class GreetingsService {
  constructor(
    private readonly greetings: GreetingsRepository,
    private readonly recipientStates: RecipientsRepository,
    private readonly catalog: CatalogService,
    private readonly nudge: OutboxNudge,
    @Inject(SignedLinks) private readonly links: SignedLinks,
  ) {}

  async send(site: Site, command: SendGreetingCommand, now = new Date()): Promise<SentGreeting> {
    const card = await this.cardToSend(site, command.cardSlug);
    const requestHash = hashCommand(command);
    if (command.idempotencyKey) {
      const earlier = await this.greetings.findByIdempotencyKey(site.id, command.idempotencyKey);
      if (earlier) return this.replay(site, earlier, requestHash);
    }
    const greetingId = randomUUID();
    const greeting: Greeting = {
      id: greetingId,
      siteId: site.id,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      cardId: card.id,
      senderName: command.sender.name,
      senderEmail: command.sender.email,
      message: command.message,
      sendAt: command.sendAt,
      timeZone: command.timeZone,
      status: command.sendAt ? 'scheduled' : 'accepted',
      createdAt: now,
      updatedAt: now,
    };
    const recipients: GreetingRecipient[] = command.recipients.map((r, position) => ({
      id: newRecipientId(),
      greetingId,
      position,
      name: r.name,
      email: r.email,
      status: 'scheduled',
      attempts: 0,
      statusChangedAt: now,
      deliveredAt: null,
      openedAt: null,
      remindedAt: null,
      lastError: null,
      createdAt: now,
    }));
    try {
      await this.greetings.insert({
        greeting,
        recipients,
        outbox: [
          ...recipients.map((r) =>
            outboxRow(
              { name: 'deliver-greeting', payload: { recipientId: r.id } },
              command.sendAt ?? now,
              now,
            ),
          ),
          // A scheduled card gets the sender a note with the link to change or cancel it.
          ...(command.sendAt
            ? [outboxRow({ name: 'notify-sender-scheduled', payload: { greetingId } }, now, now)]
            : []),
        ],
      });
    } catch (error) {
      // Two submits with one key racing: the loser answers with the winner's greeting.
      if (command.idempotencyKey && isDuplicateKey(error)) {
        const winner = await this.greetings.findByIdempotencyKey(site.id, command.idempotencyKey);
        if (winner) return this.replay(site, winner, requestHash);
      }
      throw error;
    }
    // After commit: the relay picks the rows up at once instead of at its next sweep.
    this.nudge.nudge();
    return this.describe(site, greeting, recipients, false);
  }

  async sentGreeting(site: Site, greetingId: string, signature: string): Promise<SentGreeting> {
    if (!this.links.verify('confirm', greetingId, signature)) throw new NotFoundError('greeting');
    const greeting = await this.greetings.findGreeting(site.id, greetingId);
    if (!greeting) throw new NotFoundError('greeting');
    return this.describe(site, greeting, await this.greetings.recipientsOf(greeting.id), false);
  }

  async cardOf(site: Site, greetingId: string): Promise<CardView> {
    const greeting = await this.greetings.findGreeting(site.id, greetingId);
    if (!greeting) throw new NotFoundError('greeting');
    return this.catalog.cardById(site, greeting.cardId);
  }

  /** Opens a pickup link; the first open is recorded. Another site's link is not found here. */
  async pickup(site: Site, token: string, now = new Date()): Promise<PickupView> {
    const recipientId = this.links.recipientIdOf(token);
    if (!recipientId) throw new NotFoundError('pickup');
    const record = await this.greetings.findPickup(recipientId);
    if (!record || record.siteId !== site.id) throw new NotFoundError('pickup');
    const card = await this.catalog.cardById(site, record.cardId);
    const firstOpen =
      record.openedAt === null && (await this.recordFirstOpen(site, recipientId, now));
    return {
      card,
      greeting: {
        senderName: record.senderName,
        senderEmail: record.senderEmail,
        message: record.message,
        sentAt: record.sendAt ?? record.createdAt,
      },
      recipient: { name: record.recipientName },
      firstOpen,
    };
  }

  /**
   * The first open moves a delivered recipient to `opened` (a link opened before the email
   * arrived, e.g. shared from the confirmation page, only records the time) and, where the site
   * allows it, queues the "your card was opened" email to the sender in the same transaction.
   */
  private async recordFirstOpen(site: Site, recipientId: string, now: Date): Promise<boolean> {
    const notify = site.features.senderOpenNotifications !== false;
    const first = await this.recipientStates.inTransaction(async (tx) => {
      if (!(await this.recipientStates.recordFirstOpen(recipientId, now, tx))) return false;
      await this.recipientStates.transition(
        [recipientId],
        { from: 'delivered', to: 'opened', at: now },
        tx,
      );
      if (notify) {
        await this.recipientStates.addToOutbox(
          [{ job: { name: 'notify-sender-opened', payload: { recipientId } }, availableAt: now }],
          now,
          tx,
        );
      }
      return true;
    });
    if (first && notify) this.nudge.nudge();
    return first;
  }

  /** A card outside this site's catalog is as unknown as a typo: a field error, not a 404. */
  private async cardToSend(site: Site, slug: string): Promise<CardView> {
    try {
      return await this.catalog.card(site, slug);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new ValidationFailed([
          { field: 'cardSlug', message: 'is not a card this site offers' },
        ]);
      }
      throw error;
    }
  }

  private async replay(site: Site, earlier: Greeting, requestHash: string): Promise<SentGreeting> {
    if (earlier.requestHash !== requestHash) throw new IdempotencyConflict();
    return this.describe(site, earlier, await this.greetings.recipientsOf(earlier.id), true);
  }

  private describe(
    site: Site,
    greeting: Greeting,
    recipients: GreetingRecipient[],
    replayed: boolean,
  ): SentGreeting {
    return {
      id: greeting.id,
      status: greeting.status,
      sendAt: greeting.sendAt,
      timeZone: greeting.timeZone,
      replayed,
      confirmationPath: `/sent/${greeting.id}?s=${this.links.sign('confirm', greeting.id)}`,
      recipients: recipients.map((r) => ({
        name: r.name,
        email: r.email,
        pickupUrl: `${site.baseUrl}/p/${this.links.pickupToken(r.id)}`,
      })),
    };
  }
}

/** Canonical hash of what was asked, to tell a retry from a different greeting. */
function hashCommand(command: SendGreetingCommand): string {
  const canonical = JSON.stringify([
    command.cardSlug,
    command.sender.name,
    command.sender.email.toLowerCase(),
    command.recipients.map((r) => [r.name, r.email.toLowerCase()]),
    command.message,
    command.sendAt?.toISOString() ?? null,
    command.timeZone,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } }).code;
  const driverCode = (error as { driverError?: { code?: string } }).driverError?.code;
  return code === 'ER_DUP_ENTRY' || driverCode === 'ER_DUP_ENTRY';
}
