import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DatabaseService } from '../platform/database/database.service.js';
import { RedisService } from '../platform/redis/redis.service.js';

interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, 'up' | 'down'>;
}

/**
 * Liveness says the process runs; readiness says it can serve pages. A down replica or Redis
 * makes it "degraded", still ready: pages keep serving from the other stores.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DatabaseService,
    private readonly redis: RedisService,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const checks: Record<string, 'up' | 'down'> = {};
    for (const member of this.db.health())
      checks[`database.${member.name}`] = member.up ? 'up' : 'down';
    checks.redis = (await this.redis.ping()) ? 'up' : 'down';
    const databaseUp = this.db.health().some((m) => m.up);
    const allUp = Object.values(checks).every((v) => v === 'up');
    const status = allUp ? 'ok' : databaseUp ? 'degraded' : 'unavailable';
    reply.header('Cache-Control', 'no-store');
    if (status === 'unavailable') reply.code(503);
    return { status, checks };
  }
}
