import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { AccountEntryController } from './account-entry.controller.js';
import { AccountLinksController } from './account-links.controller.js';
import { AccountPages } from './account-pages.js';
import { AccountController } from './account.controller.js';
import { AccountsService } from './accounts.service.js';
import { MemberSessions } from './member-sessions.js';
import { MembersRepository } from './members.repository.js';

/** Member accounts per site, on the identity module's passwords, tokens and throttles. */
@Module({
  imports: [IdentityModule],
  controllers: [AccountEntryController, AccountLinksController, AccountController],
  providers: [AccountsService, AccountPages, MemberSessions, MembersRepository],
  exports: [MemberSessions, AccountsService],
})
export class AccountsModule {}
