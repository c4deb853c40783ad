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
import { SendChallengeController } from './send-challenge.controller.js';
import { SitesModule } from '../sites/sites.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { FlagsModule } from '../flags/flags.module.js';
import { SecurityModule } from '../security/security.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { PhotosModule } from '../platform/photos/photos.module.js';

@Module({
  imports: [
    SitesModule,
    RenderingModule,
    FlagsModule,
    SecurityModule,
    QueueModule,
    CatalogModule,
    RecipientsModule,
    AccountsModule,
    PhotosModule,
  ],
  controllers: [
    GreetingsApiController,
    ComposeController,
    PickupController,
    ManageController,
    SendChallengeController,
  ],
  providers: [GreetingsService, GreetingManageService, ComposeProtection, BlankComposeForms],
  exports: [GreetingsService, RecipientsModule],
})
export class GreetingsModule {}
