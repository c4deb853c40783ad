import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { RedisService } from '../redis/redis.service.js';
import { CachePurger } from './cache-purger.service.js';
import { DataCache } from './data-cache.service.js';
import { PageCacheStore } from './page-cache-store.js';

@Module({
  providers: [
    DataCache,
    {
      provide: PageCacheStore,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService) =>
        new PageCacheStore(redis.cache, config.cache.pageMaxBytes),
    },
    CachePurger,
  ],
  exports: [DataCache, PageCacheStore, CachePurger],
})
export class CacheModule {}
