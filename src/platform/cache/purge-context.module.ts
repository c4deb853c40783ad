import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config.js';
import { ConfigModule } from '../../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { CacheModule } from './cache.module.js';
import { CachePurger } from './cache-purger.service.js';

@Module({})
class PurgeContextModule {}

/** Purges from outside a web process (the CLI): the same purger, reaching every process. */
export async function purgeFromCli(config: AppConfig, tags: string[]): Promise<string[]> {
  const context = await NestFactory.createApplicationContext(
    {
      module: PurgeContextModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, CacheModule],
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    const { tags: purged } = await context.get(CachePurger).purge(tags);
    return purged;
  } finally {
    await context.close();
  }
}
