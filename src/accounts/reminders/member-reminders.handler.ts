import { Injectable } from '@nestjs/common';
import { type CardTile, CatalogService } from '../../catalog/catalog.service.js';
import { EmailComposer, type MemberReminderMail } from '../../delivery/email-composer.js';
import { NoticeMailer } from '../../delivery/notice-mailer.js';
import type { JobHandler } from '../../platform/queue/job-handler.js';
import type { JobPayloads } from '../../platform/queue/jobs.js';
import { OutboxNudge } from '../../platform/queue/outbox-nudge.js';
import { SiteRegistry } from '../../sites/site-registry.js';
import type { Site } from '../../sites/site.js';
import { MembersRepository } from '../members.repository.js';
import {
  datedOccasionsFor,
  dayIn,
  daysBetween,
  dueOccurrence,
  localToday,
  occasionIn,
} from './reminder-dates.js';
import { type ReminderRecord, RemindersRepository } from './reminders.repository.js';

/** Suggested cards in a reminder. */
const SUGGESTED_CARDS = 3;

/** Which occasion's cards suit a contact's named day. */
const OCCASION_OF_LABEL: Record<string, string> = {
  birthday: 'birthday',
  anniversary: 'anniversary',
};

/**
 * The yearly date a reminder is about, in the calendar of the site's locale, or null when it
 * names nothing any more.
 */
export function occurrenceRule(
  r: ReminderRecord,
  locale: string,
): ((year: number) => string) | null {
  if (r.occasionSlug !== null) {
    const occasion = datedOccasionsFor(locale)[r.occasionSlug];
    return occasion ? (year) => occasionIn(year, occasion.rule) : null;
  }
  if (r.month === null || r.day === null) return null;
  const { month, day } = r;
  return (year) => dayIn(year, month, day);
}

/**
 * A site and time zone's daily scan (fired by that bucket's job scheduler at 08:00 local):
 * every reminder due today where those members live is claimed, each with its email's outbox
 * row, so the email goes out once however many workers or retries run the scan.
 */
@Injectable()
export class MemberReminderScanHandler implements JobHandler<'scan-member-reminders'> {
  readonly job = 'scan-member-reminders';

  constructor(
    private readonly sites: SiteRegistry,
    private readonly reminders: RemindersRepository,
    private readonly nudge: OutboxNudge,
  ) {}

  async handle({ siteId, timeZone, on }: JobPayloads['scan-member-reminders']): Promise<void> {
    const site = this.sites.get(siteId);
    if (!site) return;
    const today = on ?? localToday(timeZone);
    const now = new Date();
    let claimed = 0;
    for (const reminder of await this.reminders.inZone(site.id, timeZone, site.timeZone)) {
      const rule = occurrenceRule(reminder, site.locale);
      const occurrence = rule ? dueOccurrence(today, reminder.daysBefore, rule) : null;
      if (occurrence === null || occurrence === reminder.lastSentFor) continue;
      if (await this.reminders.claim(reminder.id, occurrence, today, now)) claimed++;
    }
    if (claimed > 0) this.nudge.nudge();
  }
}

/** One reminder email, skipped when the reminder, the member or their reminders are gone. */
@Injectable()
export class SendMemberReminderHandler implements JobHandler<'send-member-reminder'> {
  readonly job = 'send-member-reminder';

  constructor(
    private readonly sites: SiteRegistry,
    private readonly reminders: RemindersRepository,
    private readonly members: MembersRepository,
    private readonly catalog: CatalogService,
    private readonly composer: EmailComposer,
    private readonly mailer: NoticeMailer,
  ) {}

  async handle({ reminderId, occurrence, on }: JobPayloads['send-member-reminder']): Promise<void> {
    const reminder = await this.reminders.find(reminderId);
    const site = reminder ? this.sites.get(reminder.siteId) : undefined;
    if (!reminder || !site) return;
    const member = await this.members.findById(site.id, reminder.memberId);
    if (!member || member.remindersStoppedAt !== null) return;
    await this.mailer.send(
      site,
      this.composer.memberReminder(
        site,
        { name: member.displayName, address: member.email },
        await this.mailOf(site, reminder, occurrence, on),
      ),
    );
  }

  private async mailOf(
    site: Site,
    r: ReminderRecord,
    occurrence: string,
    today: string,
  ): Promise<MemberReminderMail> {
    const occasionSlug =
      r.occasionSlug ?? OCCASION_OF_LABEL[(r.dateLabel ?? '').toLowerCase()] ?? null;
    const cards = await this.suggestions(site, occasionSlug);
    // A contact's reminder composes to that contact: the member's form comes with the row.
    const to = r.contactId ? `?to=${r.contactId}` : '';
    const composeOf = (slug: string) => `${site.baseUrl}/cards/${slug}/send${to}`;
    const first = cards[0];
    const what =
      r.occasionSlug !== null
        ? (datedOccasionsFor(site.locale)[r.occasionSlug]?.name ?? r.occasionSlug)
        : `${r.contactName ?? 'Someone'}'s ${(r.dateLabel ?? 'day').toLowerCase()}`;
    return {
      reminderId: r.id,
      memberId: r.memberId,
      occurrence,
      what,
      whenText: new Intl.DateTimeFormat(site.locale, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        timeZone: 'UTC',
      }).format(new Date(`${occurrence}T00:00:00Z`)),
      daysAway: Math.max(0, daysBetween(today, occurrence)),
      composeUrl: first ? composeOf(first.slug) : `${site.baseUrl}/`,
      cards: cards.map((c) => ({
        title: c.title,
        imageUrl: new URL(c.thumbUrl || c.imageUrl, site.baseUrl).toString(),
        composeUrl: composeOf(c.slug),
      })),
    };
  }

  /** A few cards of the occasion, or the site's featured ones when it carries none. */
  private async suggestions(site: Site, occasionSlug: string | null): Promise<CardTile[]> {
    if (occasionSlug !== null) {
      try {
        const page = await this.catalog.occasionPage(site, occasionSlug, 1);
        if (page.cards.length > 0) return page.cards.slice(0, SUGGESTED_CARDS);
      } catch {
        // The site does not carry this occasion: its featured cards instead.
      }
    }
    return this.catalog.featured(site, SUGGESTED_CARDS);
  }
}
