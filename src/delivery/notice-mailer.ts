import { Injectable, Logger } from '@nestjs/common';
import { MailSender } from '../platform/mail/mail-sender.js';
import { MailSendError, type OutgoingMail } from '../platform/mail/outgoing-mail.js';
import { DkimKeyring } from '../sites/dkim-keyring.js';
import type { Site } from '../sites/site.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/**
 * Sends the small emails around a greeting (sender notices, reminders): never to a suppressed
 * address, a hard bounce suppresses the address, and a transient error is thrown for the
 * queue to retry. These carry no per-recipient state beyond their job; a duplicate after a
 * crash is possible and carries the same Message-ID. Each is signed with its site's own DKIM
 * key when the site has one.
 */
@Injectable()
export class NoticeMailer {
  private readonly logger = new Logger('Notices');

  constructor(
    private readonly mail: MailSender,
    private readonly suppressions: SuppressionsRepository,
    private readonly keyring: DkimKeyring,
  ) {}

  async send(site: Site, message: OutgoingMail): Promise<boolean> {
    if (await this.suppressions.isSuppressed(site.id, message.to.address)) return false;
    try {
      const signed = { ...message, dkim: this.keyring.signingFor(site) };
      this.logger.log({ event: 'smtp-reply', ...(await this.mail.send(signed)) });
      return true;
    } catch (error) {
      if (error instanceof MailSendError && error.kind === 'permanent') {
        await this.suppressions.add(message.to.address, 'bounced', site.id);
        return false;
      }
      throw error;
    }
  }
}
