import { Injectable } from '@nestjs/common';
import { EmailComposer } from '../delivery/email-composer.js';
import { NoticeMailer } from '../delivery/notice-mailer.js';
import { OneTimeTokens } from '../identity/one-time-tokens.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import type { JobPayloads } from '../platform/queue/jobs.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { ACCOUNT_LINK_PATHS } from './account-paths.js';
import { MembersRepository } from './members.repository.js';

/**
 * Mails a member the link they asked for. The token is made here, at sending time, so the queue
 * never holds a working link; a retried job makes another token and the unused one expires.
 * A member deleted meanwhile gets nothing.
 */
@Injectable()
export class AccountEmailHandler implements JobHandler<'send-account-email'> {
  readonly job = 'send-account-email';

  constructor(
    private readonly sites: SiteRegistry,
    private readonly members: MembersRepository,
    private readonly tokens: OneTimeTokens,
    private readonly composer: EmailComposer,
    private readonly mailer: NoticeMailer,
  ) {}

  async handle(email: JobPayloads['send-account-email']): Promise<void> {
    const site = this.sites.get(email.siteId);
    const member = site ? await this.members.findById(email.siteId, email.memberId) : null;
    if (!site || !member) return;
    const token = await this.tokens.issue(email.purpose, {
      siteId: site.id,
      subjectId: member.id,
    });
    const url = `${site.baseUrl}${ACCOUNT_LINK_PATHS[email.purpose]}?t=${token}`;
    await this.mailer.send(
      site,
      this.composer.account(
        site,
        { name: member.displayName, address: member.email },
        { purpose: email.purpose, url, emailId: email.emailId },
      ),
    );
  }
}
