import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ComposeController } from './compose.controller.js';
import { BlankComposeForms } from './blank-compose-forms.js';
import { ComposeProtection } from './compose-protection.js';
import { GreetingManageService } from './greeting-manage.service.js';
import { GreetingsApiController } from './greetings-api.controller.js';
import { GreetingsService } from './greetings.service.js';
import { ManageController } from './manage.controller.js';
import { PickupController } from './pickup.controller.js';
import { RecipientsModule } from './recipients.module.js';

@Module({
  imports: [CatalogModule, RecipientsModule, AccountsModule],
  controllers: [GreetingsApiController, ComposeController, PickupController, ManageController],
  providers: [GreetingsService, GreetingManageService, ComposeProtection, BlankComposeForms],
  exports: [GreetingsService, RecipientsModule],
})
export class GreetingsModule {}
