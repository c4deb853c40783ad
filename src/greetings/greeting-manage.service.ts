import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CatalogService, type CardView } from '../catalog/catalog.service.js';
import { NotFoundError } from '../common/domain-errors.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import type { JobRequest } from '../platform/queue/jobs.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';
import type { Site } from '../sites/site.js';
import type { EditGreetingCommand } from './dto/edit-greeting.schema.js';
import type { GreetingRecipient } from './greeting-recipient.entity.js';
import type { Greeting } from './greeting.entity.js';
import { GreetingsRepository } from './greetings.repository.js';
import type { RecipientStatus } from './recipient-state.js';
import { RecipientsRepository } from './recipients.repository.js';
import { SignedLinks } from './signed-links.js';

/** 409: delivery has begun (or the card was cancelled), so the greeting can no longer change. */
export class GreetingAlreadyDispatched extends ConflictException {
  constructor(reason: 'sending' | 'cancelled') {
    super(
      reason === 'cancelled'
        ? 'This card was cancelled and can no longer be changed.'
        : 'This card is already being delivered and can no longer be changed or cancelled.',
    );
  }
}

const CHANGEABLE: readonly RecipientStatus[] = ['scheduled', 'queued'];

/**
 * Changing or cancelling a scheduled greeting through its private manage link, allowed until
 * any recipient's email has started to go out. Each change runs under row locks on the
 * greeting's outbox rows and recipients, taken in the relay's order, so it cannot interleave
 * with a relay round or a worker's claim.
 */
@Injectable()
export class GreetingManageService {
  constructor(
    private readonly greetings: GreetingsRepository,
    private readonly recipients: RecipientsRepository,
    private readonly queues: JobQueues,
    private readonly nudge: OutboxNudge,
    private readonly catalog: CatalogService,
    @Inject(SignedLinks) private readonly links: SignedLinks,
  ) {}

  /**
   * What the manage page shows beside the greeting: its card (null if the card has left the
   * catalog since) and where each recipient's email stands.
   */
  async particulars(
    site: Site,
    greeting: Greeting,
  ): Promise<{ card: CardView | null; recipients: GreetingRecipient[] }> {
    const [card, recipients] = await Promise.all([
      this.catalog.cardById(site, greeting.cardId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      }),
      this.greetings.recipientsOf(greeting.id),
    ]);
    return { card, recipients };
  }

  manageUrl(site: Site, greetingId: string): string {
    return `${site.baseUrl}/manage/${greetingId}?s=${this.links.sign('manage', greetingId)}`;
  }

  /** The greeting, if the token is its manage token; otherwise as unknown as a typo. */
  async authorised(site: Site, greetingId: string, token: string | undefined): Promise<Greeting> {
    if (!token || !this.links.verify('manage', greetingId, token)) {
      throw new NotFoundError('greeting');
    }
    const greeting = await this.greetings.findGreeting(site.id, greetingId);
    if (!greeting) throw new NotFoundError('greeting');
    return greeting;
  }

  async cancel(site: Site, greetingId: string, token: string | undefined, now = new Date()) {
    await this.authorised(site, greetingId, token);
    const jobs = await this.changeUnderLock(site, greetingId, async (tx, ids, jobList) => {
      for (const from of CHANGEABLE) {
        await this.recipients.transition(
          ids,
          { from, to: 'cancelled', at: now, detail: 'cancelled by sender' },
          tx,
        );
      }
      await this.recipients.retireOutbox(jobList, now, tx);
      await this.greetings.updateGreeting(tx, greetingId, { status: 'cancelled', updatedAt: now });
    });
    // Delayed jobs already in Redis are removed; one that survives finds `cancelled` and stops.
    await Promise.all(jobs.map((job) => this.queues.remove(job)));
  }

  async edit(
    site: Site,
    greetingId: string,
    token: string | undefined,
    command: EditGreetingCommand,
    now = new Date(),
  ): Promise<Greeting> {
    await this.authorised(site, greetingId, token);
    const jobs = await this.changeUnderLock(site, greetingId, async (tx, ids, jobList) => {
      const changes: Parameters<GreetingsRepository['updateGreeting']>[2] = { updatedAt: now };
      if (command.message !== undefined) changes.message = command.message;
      if (command.timeZone !== undefined) changes.timeZone = command.timeZone;
      if (command.sendAt) {
        changes.sendAt = command.sendAt;
        changes.status = 'scheduled';
        await this.recipients.transition(
          ids,
          { from: 'queued', to: 'scheduled', at: now, detail: 'rescheduled' },
          tx,
        );
        await this.recipients.redispatch(jobList, command.sendAt, tx);
      }
      await this.greetings.updateGreeting(tx, greetingId, changes);
    });
    if (command.sendAt) {
      await Promise.all(jobs.map((job) => this.queues.remove(job)));
      this.nudge.nudge();
    }
    const updated = await this.greetings.findGreeting(site.id, greetingId);
    if (!updated) throw new NotFoundError('greeting');
    return updated;
  }

  private async changeUnderLock(
    site: Site,
    greetingId: string,
    change: (tx: EntityManager, recipientIds: string[], jobs: JobRequest[]) => Promise<void>,
  ): Promise<JobRequest[]> {
    return this.recipients.inTransaction(async (tx) => {
      const greeting = await this.greetings.lockGreeting(tx, site.id, greetingId);
      if (!greeting) throw new NotFoundError('greeting');
      if (greeting.status === 'cancelled') throw new GreetingAlreadyDispatched('cancelled');
      const recipientIds = (await this.greetings.recipientsOf(greetingId)).map((r) => r.id);
      const jobs: JobRequest[] = recipientIds.map((recipientId) => ({
        name: 'deliver-greeting',
        payload: { recipientId },
      }));
      // Outbox rows before recipients: the relay's order, so the two cannot deadlock.
      await this.recipients.lockOutbox(jobs, tx);
      const rows = await this.greetings.lockRecipients(tx, greetingId);
      if (rows.some((r) => !CHANGEABLE.includes(r.status))) {
        throw new GreetingAlreadyDispatched('sending');
      }
      await change(tx, recipientIds, jobs);
      return jobs;
    });
  }
}
