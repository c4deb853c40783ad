import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ComposeController } from './compose.controller.js';
import { GreetingsApiController } from './greetings-api.controller.js';
import { GreetingsRepository } from './greetings.repository.js';
import { GreetingsService } from './greetings.service.js';
import { PickupController } from './pickup.controller.js';
import { SignedLinks } from './signed-links.js';

@Module({
  imports: [CatalogModule],
  controllers: [GreetingsApiController, ComposeController, PickupController],
  providers: [
    GreetingsRepository,
    GreetingsService,
    {
      provide: SignedLinks,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SignedLinks(config.pickupTokenSecret),
    },
  ],
  exports: [GreetingsService, SignedLinks],
})
export class GreetingsModule {}
