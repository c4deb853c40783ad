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
  ) {}

  @Get('history')
  async show(@CurrentSite() site: Site, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const member = await this.sessions.signedInMember(req, site);
    if (!member) {
      await reply.code(303).header('Location', ACCOUNT_PATHS.signIn).send();
      return;
    }
    const sent = await this.history.sentBy(site.id, member.id);
    await this.pages.send(reply, req, site, 'account-history', {
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
        })),
      })),
    });
  }
}
