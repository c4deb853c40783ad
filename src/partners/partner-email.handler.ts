import { Injectable } from '@nestjs/common';
import { NoticeMailer } from '../delivery/notice-mailer.js';
import { OneTimeTokens } from '../identity/one-time-tokens.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { SiteViews } from '../rendering/site-views.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { CONSOLE_REALM } from './partner-sessions.js';
import { PeopleRepository } from './people.repository.js';

const SUBJECTS = {
  invite: 'You are invited to the partner console',
  'reset-password': 'Choose a new partner console password',
} as const;

/**
 * Mails a console person their invite or reset link, from the admin host's site (the console
 * lives there). The token is made here, at sending time, so the queue never holds a working
 * link; a person removed meanwhile gets nothing.
 */
@Injectable()
export class PartnerEmailHandler implements JobHandler<'send-partner-email'> {
  readonly job = 'send-partner-email';

  constructor(
    private readonly sites: SiteRegistry,
    private readonly people: PeopleRepository,
    private readonly tokens: OneTimeTokens,
    private readonly views: SiteViews,
    private readonly mailer: NoticeMailer,
  ) {}

  async handle(email: JobPayloads['send-partner-email']): Promise<void> {
    const site = this.sites.sites.find((s) => s.allowAdmin);
    const person = site ? await this.people.findById(email.personId) : null;
    if (!site || !person) return;
    const token = await this.tokens.issue(email.purpose, {
      siteId: CONSOLE_REALM,
      subjectId: person.id,
    });
    const url = `${site.baseUrl}${CONSOLE_PATHS.setPassword}?${email.purpose === 'invite' ? 'invite' : 'reset'}=${token}`;
    const model = { purpose: email.purpose, url, role: person.role, partner: person.partnerId };
    const domain = site.email.fromAddress.split('@')[1] ?? 'localhost';
    await this.mailer.send(site, {
      from: { name: site.email.fromName, address: site.email.fromAddress },
      to: { name: '', address: person.email },
      subject: SUBJECTS[email.purpose],
      text: this.views.renderNeutral('partner/email.txt.njk', model),
      html: this.views.renderNeutral('partner/email.html.njk', model),
      messageId: `<${email.emailId}.partner@${domain}>`,
    });
  }
}
