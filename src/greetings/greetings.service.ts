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
import {
  type GreetingSender,
  newGreetingRecord,
  UNVERIFIED_SENDER,
} from './new-greeting-record.js';
import { FeatureFlags } from '../flags/feature-flags.service.js';
import { currentOrigin } from '../platform/observability/request-context.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import { RecipientsRepository } from './recipients.repository.js';
import { SignedLinks } from './signed-links.js';
import { AbuseLimiter } from '../security/abuse-limiter.js';
import {
  PHOTO_WIDTHS,
  type PhotoSize,
  type PhotoWidth,
  SenderPhotoStore,
} from '../platform/photos/sender-photo-store.js';
import { messageStyleClass } from '../sites/message-styles.js';

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
  greeting: {
    senderName: string;
    senderEmail: string;
    message: string;
    /** Classes for the sender's chosen hand and ink. */
    messageStyle: string;
    sentAt: Date;
    /**
     * The size of the sender's own photo as the page first shows it (the smaller width), or
     * null when there is none (or it is already erased).
     */
    photo: PhotoSize | null;
  };
  recipient: { name: string; opened: boolean };
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
    private readonly limiter: AbuseLimiter,
    private readonly photos: SenderPhotoStore,
  ) {}

  /**
   * Accepts a greeting: one transaction on the primary, or, while the primary is unreachable,
   * the durable spool (same ids, so the pickup links returned are final either way). With
   * neither store reachable nothing is written and the caller is told to try again shortly.
   */
  async send(
    site: Site,
    command: SendGreetingCommand,
    now = new Date(),
    sender: GreetingSender = UNVERIFIED_SENDER,
  ): Promise<SentGreeting> {
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
    const origin = currentOrigin();
    const record = newGreetingRecord(site, card.id, command, requestHash, now, origin, sender);
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

  /**
   * Shows a pickup link. Showing it records nothing: mail scanners fetch every link in a
   * message, and the sender may look at it from the confirmation page (see `recordOpen`).
   */
  async pickup(site: Site, token: string): Promise<PickupView> {
    const { record } = await this.pickupRecord(site, token);
    // The card as the site's catalog has it, from the data cache: pickups are a tenth of the
    // traffic on a holiday, and every one used to read the card from the database.
    const card = await this.catalog.card(site, record.cardSlug);
    return {
      // The sender's edit of the verse, or the card's own.
      card: record.insideText === null ? card : { ...card, insideText: record.insideText },
      greeting: {
        senderName: record.senderName,
        senderEmail: record.senderEmail,
        message: record.message,
        messageStyle: messageStyleClass(site.messageStyles, record.messageFont, record.messageInk),
        sentAt: record.sendAt ?? record.createdAt,
        photo: record.photoId ? await this.photos.sizeOf(record.photoId, PHOTO_WIDTHS[1]) : null,
      },
      recipient: { name: record.recipientName, opened: record.openedAt !== null },
    };
  }

  /**
   * The recipient opened the card: their pickup page said so once it was visible, or they
   * pressed its button. Only an open after the email was delivered counts (anything earlier is
   * the sender or a scanner holding the link), and only the first one; it moves the recipient
   * to `opened` and, where the site allows it and the sender's budget has room, queues "your
   * card was opened" in the same transaction. With the primary away nothing is recorded; the
   * page sends the open again at the next visit. True when the open is on record (now or
   * before), false when it did not count.
   */
  async recordOpen(site: Site, token: string, now = new Date()): Promise<boolean> {
    const { recipientId, record } = await this.pickupRecord(site, token);
    if (record.openedAt !== null) return true;
    try {
      const notice = record.senderVerified ? record.senderEmail : null;
      return await this.recordFirstOpen(site, recipientId, notice, now);
    } catch (error) {
      if (isStoreUnavailable(error)) return false;
      throw error;
    }
  }

  /**
   * The sender's photo on a card, at a width, for the holder of its pickup link only: the link's
   * signature is checked as for the page, and a card whose personal data is gone has none.
   */
  async pickupPhoto(site: Site, token: string, width: PhotoWidth): Promise<Buffer> {
    const { record } = await this.pickupRecord(site, token);
    const photo = record.photoId ? await this.photos.read(record.photoId, width) : null;
    if (!photo) throw new NotFoundError('pickup');
    return photo;
  }

  private async pickupRecord(site: Site, token: string) {
    const recipientId = this.links.recipientIdOf(token);
    if (!recipientId) throw new NotFoundError('pickup');
    const record = await this.greetings.findPickup(recipientId);
    // An emptied sender address: the retention job removed this card's personal data.
    if (!record || record.siteId !== site.id || record.senderEmail === '') {
      throw new NotFoundError('pickup');
    }
    return { recipientId, record };
  }

  private async recordFirstOpen(
    site: Site,
    recipientId: string,
    /** Where "your card was opened" may go: a verified sender's address, else nowhere. */
    noticeTo: string | null,
    now: Date,
  ): Promise<boolean> {
    const notify =
      noticeTo !== null && (await this.flags.isEnabled(site, 'senderOpenNotifications'));
    let queued = false;
    const first = await this.recipientStates.inTransaction(async (tx) => {
      const moved = await this.recipientStates.transition(
        [recipientId],
        { from: 'delivered', to: 'opened', at: now },
        tx,
      );
      if (moved.length === 0) return false;
      await this.recipientStates.recordFirstOpen(recipientId, now, tx);
      if (notify && (await this.limiter.admitSenderNotice(site.id, noticeTo))) {
        const origin = currentOrigin();
        const job = { name: 'notify-sender-opened', payload: { recipientId } } as const;
        await this.recipientStates.addToOutbox(
          [{ job: origin ? { ...job, origin } : job, availableAt: now }],
          now,
          tx,
        );
        queued = true;
      }
      return true;
    });
    if (queued) this.nudge.nudge();
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
