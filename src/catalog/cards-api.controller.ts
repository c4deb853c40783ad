import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ValidationFailed } from '../common/domain-errors.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { CatalogService } from './catalog.service.js';

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(100000).default(0),
    occasion: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'must be an occasion slug')
      .optional(),
  })
  .strict();

export interface CardListItem {
  slug: string;
  title: string;
  occasion: string;
  imageUrl: string;
}

/** The catalog as JSON for partners and load tests; always the requesting site's catalog. */
@Controller('api/cards')
export class CardsApiController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  async list(
    @CurrentSite() site: Site,
    @Query() query: Record<string, unknown>,
  ): Promise<{ items: CardListItem[]; total: number }> {
    const parsed = listQuery.safeParse(query);
    if (!parsed.success) {
      throw new ValidationFailed(
        parsed.error.issues.map((i) => ({
          field: i.path.join('.') || 'query',
          message: i.message,
        })),
      );
    }
    const page = await this.catalog.listCards(site, {
      occasionSlug: parsed.data.occasion,
      limit: parsed.data.limit,
      offset: parsed.data.offset,
    });
    return {
      items: page.items.map((card) => ({
        slug: card.slug,
        title: card.title,
        occasion: card.occasionSlug,
        imageUrl: `${site.baseUrl}${card.imageUrl}`,
      })),
      total: page.total,
    };
  }
}
