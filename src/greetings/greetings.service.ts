import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CatalogService, type CardView } from '../catalog/catalog.service.js';
import {
  IdempotencyConflict,
  NotFoundError,
  ServiceUnavailable,
  ValidationFailed,
} from '../common/domain-errors.js';
import { isDuplicateKey, isStoreUnavailable } from '../common/store-errors.js';
import type { Site } from '../sites/site.js';
import type { SendGreetingCommand } from './dto/send-greeting.schema.js';
import type { GreetingRecipient } from './greeting-recipient.entity.js';
import type { Greeting } from './greeting.entity.js';
import { GreetingSpool } from './greeting-spool.js';
import { GreetingsRepository, type NewGreeting } from './greetings.repository.js';
import { newGreetingRecord } from './new-greeting-record.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { currentOrigin } from '../platform/observability/request-context.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import { RecipientsRepository } from './recipients.repository.js';
import { SignedLinks } from './signed-links.js';

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
  private readonly logger = new Logger('Greetings');

  constructor(
    private readonly greetings: GreetingsRepository,
    private readonly recipientStates: RecipientsRepository,
    private readonly catalog: CatalogService,
    private readonly nudge: OutboxNudge,
    private readonly spool: GreetingSpool,
    @Inject(SignedLinks) private readonly links: SignedLinks,
    private readonly flags: FeatureFlags,
  ) {}

  /**
   * Accepts a greeting: one transaction on the primary, or, while the primary is unreachable,
   * the durable spool (same ids, so the pickup links returned are final either way). With
   * neither store reachable nothing is written and the caller is told to try again shortly.
   */
  async send(site: Site, command: SendGreetingCommand, now = new Date()): Promise<SentGreeting> {
    const card = await this.cardToSend(site, command.cardSlug);
    const requestHash = hashCommand(command);
    if (command.idempotencyKey) {
      // A key the database already holds is caught by its unique index on insert (below): no
      // read before every send for the few that are retries. One accepted into the spool while
      // the primary was away is not in the database yet, so the spool is asked.
      const spooled = await this.spool.find(site.id, command.idempotencyKey);
      if (spooled) return this.replay(site, spooled, requestHash);
    }
    // The request's id rides on the outbox rows into the delivery jobs and their log lines.
    const record = newGreetingRecord(site, card.id, command, requestHash, now, currentOrigin());
    if (!this.greetings.primaryReachable()) return this.spoolSend(site, record, requestHash);
    try {
      await this.greetings.insert(record);
    } catch (error) {
      // Two submits with one key racing: the loser answers with the winner's greeting.
      if (command.idempotencyKey && isDuplicateKey(error)) {
        const winner = await this.greetings.findByIdempotencyKey(site.id, command.idempotencyKey);
        if (winner) {
          return this.replay(
            site,
            { greeting: winner, recipients: await this.greetings.recipientsOf(winner.id) },
            requestHash,
          );
        }
      }
      if (isStoreUnavailable(error)) return this.spoolSend(site, record, requestHash);
      throw error;
    }
    // After commit: the relay picks the rows up at once instead of at its next sweep.
    this.nudge.nudge();
    this.logger.log({
      event: 'greeting-accepted',
      greetingId: record.greeting.id,
      recipientCount: record.recipients.length,
      scheduled: record.greeting.sendAt !== null,
    });
    return this.describe(site, record.greeting, record.recipients, false);
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
    // An emptied sender address: the retention job removed this card's personal data.
    if (!record || record.siteId !== site.id || record.senderEmail === '') {
      throw new NotFoundError('pickup');
    }
    // The card as the site's catalog has it, from the data cache: pickups are a tenth of the
    // traffic on a holiday, and every one used to read the card from the database.
    const card = await this.catalog.card(site, record.cardSlug);
    const firstOpen = record.openedAt === null && (await this.tryFirstOpen(site, recipientId, now));
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
   * With the primary away the card is still shown (it was read from a replica); the open is
   * then recorded at the next visit instead of costing the recipient an error page.
   */
  private async tryFirstOpen(site: Site, recipientId: string, now: Date): Promise<boolean> {
    try {
      return await this.recordFirstOpen(site, recipientId, now);
    } catch (error) {
      if (isStoreUnavailable(error)) return false;
      throw error;
    }
  }

  /**
   * The first open moves a delivered recipient to `opened` (a link opened before the email
   * arrived, e.g. shared from the confirmation page, only records the time) and, where the site
   * allows it, queues the "your card was opened" email to the sender in the same transaction.
   */
  private async recordFirstOpen(site: Site, recipientId: string, now: Date): Promise<boolean> {
    const notify = await this.flags.isEnabled(site, 'senderOpenNotifications');
    const first = await this.recipientStates.inTransaction(async (tx) => {
      if (!(await this.recipientStates.recordFirstOpen(recipientId, now, tx))) return false;
      await this.recipientStates.transition(
        [recipientId],
        { from: 'delivered', to: 'opened', at: now },
        tx,
      );
      if (notify) {
        const origin = currentOrigin();
        const job = { name: 'notify-sender-opened', payload: { recipientId } } as const;
        await this.recipientStates.addToOutbox(
          [{ job: origin ? { ...job, origin } : job, availableAt: now }],
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

  private replay(
    site: Site,
    earlier: Pick<NewGreeting, 'greeting' | 'recipients'>,
    requestHash: string,
  ): SentGreeting {
    if (earlier.greeting.requestHash !== requestHash) throw new IdempotencyConflict();
    return this.describe(site, earlier.greeting, earlier.recipients, true);
  }

  private async spoolSend(
    site: Site,
    record: NewGreeting,
    requestHash: string,
  ): Promise<SentGreeting> {
    let kept: { record: NewGreeting; replayed: boolean };
    try {
      kept = await this.spool.accept(record);
    } catch {
      throw new ServiceUnavailable('We cannot take cards this minute. Please try again shortly.');
    }
    if (kept.replayed) return this.replay(site, kept.record, requestHash);
    return this.describe(site, record.greeting, record.recipients, false);
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
