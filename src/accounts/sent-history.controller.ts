import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RECIPIENT_STATUS_LABELS } from '../greetings/recipient-status-labels.js';
import { SignedLinks } from '../greetings/signed-links.js';
import { formatZonedTime } from '../rendering/format-date.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { AccountPages } from './account-pages.js';
import { ACCOUNT_PATHS } from './account-paths.js';
import { MemberSessions } from './member-sessions.js';
import { SentHistoryRepository } from './sent-history.repository.js';
import { AddressBook } from './address-book/address-book.service.js';
import { emailKeyOf } from './dto/account-forms.js';

/**
 * Every card the member sent signed in, newest first, with each recipient's state. A scheduled
 * card links to its manage page (change or cancel), every card to its compose form again
 * ("send again", filled in from the account).
 */
@Controller('account')
export class SentHistoryController {
  constructor(
    private readonly sessions: MemberSessions,
    private readonly history: SentHistoryRepository,
    private readonly links: SignedLinks,
    private readonly pages: AccountPages,
    private readonly book: AddressBook,
  ) {}

  @Get('history')
  async show(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.sessions.current(req, site);
    if (!current) {
      await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
      return;
    }
    const { member } = current;
    const sent = await this.history.sentBy(site.id, member.id);
    // A recipient not in the address book yet gets a one-click "Save" beside them.
    const known = await this.book.known(
      site,
      member.id,
      sent.flatMap((g) => g.recipients.map((r) => r.email)),
    );
    await this.pages.send(reply, req, site, 'account-history', {
      sessionCsrf: current.session.csrf,
      sent: sent.map((g) => ({
        cardTitle: g.cardTitle,
        sentText: formatZonedTime(site, g.sendAt ?? g.createdAt, g.timeZone),
        scheduled: g.status === 'scheduled',
        cancelled: g.status === 'cancelled',
        manageUrl:
          g.status === 'scheduled'
            ? `/manage/${g.greetingId}?s=${this.links.sign('manage', g.greetingId)}`
            : null,
        sendAgainUrl: `/cards/${g.cardSlug}/send`,
        recipients: g.recipients.map((r) => ({
          name: r.name,
          email: r.email,
          status: r.status,
          statusText: RECIPIENT_STATUS_LABELS[r.status],
          saved: known.has(emailKeyOf(r.email)),
        })),
      })),
    });
  }
}
