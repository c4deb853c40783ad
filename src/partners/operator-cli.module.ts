import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { OneTimeTokens } from '../identity/one-time-tokens.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { RedisModule } from '../platform/redis/redis.module.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { SitesModule } from '../sites/sites.module.js';
import { AuditRepository } from './audit.repository.js';
import { emailKeyOf } from './partner-forms.js';
import { CONSOLE_PATHS } from './partner-paths.js';
import { PartnerPeopleModule } from './partner-people.module.js';
import { CONSOLE_REALM } from './partner-sessions.js';
import { PeopleRepository } from './people.repository.js';

/** An address the command cannot make an operator of. */
export class OperatorRefused extends Error {}

/**
 * The first operator, and any later one: whoever runs the CLI already holds the keys to the
 * platform, so the command makes the person an operator and prints the link to choose a
 * password, instead of mailing it (there may be no mail set up yet).
 */
@Injectable()
class OperatorInvites {
  constructor(
    private readonly people: PeopleRepository,
    private readonly tokens: OneTimeTokens,
    private readonly audit: AuditRepository,
    private readonly sites: SiteRegistry,
  ) {}

  async linkFor(email: string): Promise<string> {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      throw new OperatorRefused(`partners:operator: "${email}" is not an email address`);
    }
    const existing = await this.people.findByEmail(emailKeyOf(email));
    if (existing && existing.role !== 'operator') {
      throw new OperatorRefused(
        `partners:operator: ${email} is a ${existing.role} of partner ${existing.partnerId ?? '?'}`,
      );
    }
    let id = existing?.id;
    if (!id) {
      const now = new Date();
      id = randomUUID();
      await this.people.insert({
        id,
        partnerId: null,
        email,
        emailKey: emailKeyOf(email),
        role: 'operator',
        passwordHash: null,
        totpSecret: null,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(null, {
        action: 'operator.created',
        partnerId: null,
        after: { person: id, role: 'operator' },
      });
    }
    const token = await this.tokens.issue('invite', { siteId: CONSOLE_REALM, subjectId: id });
    const admin = this.sites.sites.find((s) => s.allowAdmin);
    const origin = admin?.baseUrl ?? '';
    return `${origin}${CONSOLE_PATHS.setPassword}?invite=${token}`;
  }
}

@Module({})
class OperatorCliModule {}

/** Makes `email` an operator (if it is not one yet); returns the one-time set-password link. */
export async function operatorLink(config: AppConfig, email: string): Promise<string> {
  const context = await NestFactory.createApplicationContext(
    {
      module: OperatorCliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        IdentityModule,
        SitesModule,
        PartnerPeopleModule,
      ],
      providers: [AuditRepository, OperatorInvites],
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    return await context.get(OperatorInvites).linkFor(email);
  } finally {
    await context.close();
  }
}
