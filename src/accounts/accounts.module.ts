import { Module } from '@nestjs/common';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { AccountEntryController } from './account-entry.controller.js';
import { AccountLinksController } from './account-links.controller.js';
import { AccountPages } from './account-pages.js';
import { AccountController } from './account.controller.js';
import { AccountsService } from './accounts.service.js';
import { MemberSessions } from './member-sessions.js';
import { MembersRepository } from './members.repository.js';
import { SentHistoryController } from './sent-history.controller.js';
import { SentHistoryRepository } from './sent-history.repository.js';

/** Member accounts per site, on the identity module's passwords, tokens and throttles. */
@Module({
  imports: [IdentityModule, RecipientsModule],
  controllers: [
    AccountEntryController,
    AccountLinksController,
    AccountController,
    SentHistoryController,
  ],
  providers: [
    AccountsService,
    AccountPages,
    MemberSessions,
    MembersRepository,
    SentHistoryRepository,
  ],
  exports: [MemberSessions, AccountsService],
})
export class AccountsModule {}
