import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { AccountEntryController } from './account-entry.controller.js';
import { AccountLinksController } from './account-links.controller.js';
import { AccountPages } from './account-pages.js';
import { AccountController } from './account.controller.js';
import { AccountsService } from './accounts.service.js';
import { MemberSessions } from './member-sessions.js';
import { FavouritesRepository } from './favourites.repository.js';
import { MembersRepository } from './members.repository.js';
import { SentHistoryController } from './sent-history.controller.js';
import { SentHistoryRepository } from './sent-history.repository.js';

/** Member accounts per site, on the identity module's passwords, tokens and throttles. */
@Module({
  imports: [IdentityModule, RecipientsModule, CatalogModule],
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
    FavouritesRepository,
  ],
  exports: [MemberSessions, AccountsService],
})
export class AccountsModule {}
