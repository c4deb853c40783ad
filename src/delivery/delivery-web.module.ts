import { Module } from '@nestjs/common';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SecurityModule } from '../security/security.module.js';

/** What the web process serves for delivery: unsubscribe pages and the queue dashboard. */
@Module({
  imports: [RenderingModule, SecurityModule, QueueModule, RecipientsModule],
  controllers: [UnsubscribeController],
  providers: [SuppressionsRepository],
})
export class DeliveryWebModule {}
