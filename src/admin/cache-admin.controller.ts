import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ValidationFailed } from '../common/domain-errors.js';
import { isValidTag } from '../platform/cache/cache-keys.js';
import { CachePurger } from '../platform/cache/cache-purger.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ADMIN_API, RoutePolicy } from '../http/edge/route-policy.js';

const purgeRequest = z
  .object({
    tags: z
      .array(
        z
          .string()
          .refine(
            isValidTag,
            'must be all, home, listings, site:<id>, card:<slug> or occasion:<slug>',
          ),
      )
      .min(1)
      .max(100),
  })
  .strict();

@RoutePolicy(ADMIN_API)
@Controller('admin/api/cache')
@UseGuards(AdminTokenGuard)
export class CacheAdminController {
  constructor(private readonly purger: CachePurger) {}

  /** Purges pages and data carrying any of the tags, in every process. */
  @Post('purge')
  @HttpCode(200)
  async purge(@Body() body: unknown): Promise<{ purged: string[] }> {
    const parsed = purgeRequest.safeParse(body ?? {});
    if (!parsed.success) {
      throw new ValidationFailed(
        parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })),
      );
    }
    const { tags } = await this.purger.purge(parsed.data.tags);
    return { purged: tags };
  }
}
