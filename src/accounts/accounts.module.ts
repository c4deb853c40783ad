import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SecurityModule } from '../security/security.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { MemberFavourite } from './member-favourite.entity.js';
import { Member } from './member.entity.js';
import { AccountEntryController } from './account-entry.controller.js';
import { AccountLinksController } from './account-links.controller.js';
import { AccountPages } from './account-pages.js';
import { AccountController } from './account.controller.js';
import { AccountsService } from './accounts.service.js';
import { MemberSessions } from './member-sessions.js';
import { FavouritesRepository } from './favourites.repository.js';
import { MembersModule } from './members.module.js';
import { SentHistoryController } from './sent-history.controller.js';
import { SentHistoryRepository } from './sent-history.repository.js';
import { AddressBook } from './address-book/address-book.service.js';
import { ADDRESS_BOOK_ENTITIES } from './address-book/contact.entity.js';
import { ContactsRepository } from './address-book/contacts.repository.js';
import { ContactsTransferController } from './address-book/contacts-transfer.controller.js';
import { ContactsController } from './address-book/contacts.controller.js';
import { MemberForms } from './member-forms.js';
import { MemberSendBudget } from './member-send-budget.js';
import { ReminderStopController } from './reminders/reminder-stop.controller.js';
import { MemberRemindersModule } from './reminders/reminders.module.js';
import { RemindersController } from './reminders/reminders.controller.js';

/** Member accounts per site, on the identity module's passwords, tokens and throttles. */
@Module({
  imports: [
    IdentityModule,
    RecipientsModule,
    CatalogModule,
    SitesModule,
    RenderingModule,
    SecurityModule,
    QueueModule,
    MembersModule,
    MemberRemindersModule,
    DatabaseModule.forFeature([Member, MemberFavourite, ...ADDRESS_BOOK_ENTITIES]),
  ],
  controllers: [
    AccountEntryController,
    AccountLinksController,
    AccountController,
    SentHistoryController,
    ContactsTransferController,
    ContactsController,
    RemindersController,
    ReminderStopController,
  ],
  providers: [
    AccountsService,
    AccountPages,
    MemberSessions,
    SentHistoryRepository,
    FavouritesRepository,
    ContactsRepository,
    AddressBook,
    MemberForms,
    MemberSendBudget,
  ],
  exports: [MemberSessions, AccountsService, AddressBook, MemberSendBudget],
})
export class AccountsModule {}
