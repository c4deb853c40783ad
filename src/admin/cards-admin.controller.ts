import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ADMIN_API, RoutePolicy } from '../http/edge/route-policy.js';

const cardChanges = z
  .object({
    title: z.string().trim().min(1).max(160).optional(),
    description: z.string().trim().min(1).max(500).optional(),
    insideText: z.string().trim().min(1).max(1000).optional(),
    featured: z.boolean().optional(),
  })
  .strict();

/** The code path that edits cards; every edit purges the pages and data that show the card. */
@RoutePolicy(ADMIN_API)
@Controller('admin/api/cards')
@UseGuards(AdminTokenGuard)
export class CardsAdminController {
  constructor(private readonly catalog: CatalogService) {}

  @Patch(':slug')
  async update(
    @Param('slug') slug: string,
    @Body() body: unknown,
  ): Promise<{ slug: string; purged: string[] }> {
    if (!/^[a-z0-9-]{1,120}$/.test(slug)) throw new NotFoundError('card');
    const parsed = cardChanges.safeParse(body ?? {});
    if (!parsed.success) {
      throw new ValidationFailed(
        parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })),
      );
    }
    return this.catalog.updateCard(slug, parsed.data);
  }
}
