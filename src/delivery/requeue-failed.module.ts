import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { RecipientLifecycle } from '../greetings/recipient-lifecycle.service.js';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { DatabaseModule } from '../platform/database/database.module.js';

@Module({})
class RequeueModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RequeueModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RecipientsModule],
    };
  }
}

/** `cli requeue-failed`: failed recipients go back to `scheduled`; a running relay sends them. */
export async function requeueFailed(config: AppConfig): Promise<number> {
  const app = await NestFactory.createApplicationContext(RequeueModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    return await app.get(RecipientLifecycle).requeueFailed();
  } finally {
    await app.close();
  }
}
