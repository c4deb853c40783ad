import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DatabaseService } from '../platform/database/database.service.js';
import { RedisService } from '../platform/redis/redis.service.js';
import { DependencyHealthSource } from '../platform/resilience/dependency-health.js';
import { RoutePolicy } from '../http/edge/route-policy.js';

type Readiness = HealthCheckResult & {
  /**
   * The earlier flat form, kept for existing probes: `database.<member>` and `redis`; a replica
   * that answers but is too far behind to serve reads is `behind`.
   */
  checks: Record<string, 'up' | 'down' | 'behind'>;
};

/**
 * Liveness says the process runs; readiness says it can serve pages. Every store is listed
 * with its circuit breaker's state; a store that is away makes readiness `degraded`, still
 * 200, because pages keep serving from the caches and the other stores. Only when no database
 * server answers (pages that miss the caches cannot be built) is it 503, and while the
 * process shuts down (`shutting_down`), so a balancer stops sending it new requests.
 */
@RoutePolicy({ siteless: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly stores: DependencyHealthSource,
    private readonly db: DatabaseService,
    private readonly redis: RedisService,
  ) {}

  @Get('live')
  async live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    reply.header('Cache-Control', 'no-store');
    return this.answer(reply, () =>
      this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]),
    );
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    reply.header('Cache-Control', 'no-store');
    const checks: Readiness['checks'] = {};
    for (const member of this.db.health()) {
      checks[`database.${member.name}`] = !member.up ? 'down' : member.behind ? 'behind' : 'up';
    }
    checks.redis = this.redis.available() ? 'up' : 'down';
    const result = await this.answer(reply, () =>
      this.health.check([() => this.pagesIndicator(), ...this.storeIndicators()]),
    );
    return { ...result, checks };
  }

  private pagesIndicator(): HealthIndicatorResult {
    const pages = this.indicators.check('pages');
    return this.db.canRead()
      ? pages.up()
      : pages.down({ message: 'no database server answers: only cached pages can be served' });
  }

  private storeIndicators(): (() => HealthIndicatorResult)[] {
    return this.stores.snapshot().map((store) => () => {
      const session = this.indicators.check(store.name);
      return store.up
        ? session.up({ breaker: store.state })
        : session.degraded({ breaker: store.state });
    });
  }

  /** Terminus throws its 503 result; answer it as the body instead of an error page. */
  private async answer(
    reply: FastifyReply,
    check: () => Promise<HealthCheckResult>,
  ): Promise<HealthCheckResult> {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.code(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
