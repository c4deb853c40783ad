import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { OneTimeTokens } from './one-time-tokens.js';
import { PasswordHasher } from './password-hasher.js';
import { SignInThrottle } from './sign-in-throttle.js';

/**
 * What any kind of signed-in person needs, whoever they are (site members now, partner staff
 * later): password hashes, throttles and emailed one-time tokens. Sessions are made per kind
 * (`SessionStore` with the kind's own prefix and cookie) by the feature that owns the kind.
 */
@Module({
  providers: [
    PasswordHasher,
    {
      provide: OneTimeTokens,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService) =>
        new OneTimeTokens(redis.client, `${config.delivery.queuePrefix}:identity`),
    },
    {
      provide: SignInThrottle,
      inject: [APP_CONFIG, RedisService],
      useFactory: (config: AppConfig, redis: RedisService) =>
        new SignInThrottle(
          redis.client,
          `${config.delivery.queuePrefix}:identity`,
          config.identity,
        ),
    },
  ],
  exports: [PasswordHasher, OneTimeTokens, SignInThrottle],
})
export class IdentityModule {}
