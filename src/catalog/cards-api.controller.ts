import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import { CurrentSite } from '../sites/site-request.js';
import type { Site } from '../sites/site.js';
import { CatalogService } from './catalog.service.js';
import { RoutePolicy } from '../http/edge/route-policy.js';

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
@RoutePolicy({ rateLimit: 'catalog-lookup', json: true })
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
    const { occasion, limit, offset } = parsed.data;
    // Checked against the cached occasion list first: an unknown occasion or an offset past
    // the end would otherwise be a lookup (and a cache key) of the caller's invention.
    const total = await this.catalog.cardCount(site, occasion);
    if (total === null) throw new NotFoundError('occasion');
    if (offset > 0 && offset >= total) {
      throw new ValidationFailed([
        { field: 'offset', message: `must be below ${total}, the number of cards` },
      ]);
    }
    const page = await this.catalog.listCards(site, { occasionSlug: occasion, limit, offset });
    return {
      items: page.items.map((card) => ({
        slug: card.slug,
        title: card.title,
        occasion: card.occasionSlug,
        imageUrl: `${site.baseUrl}${card.imageUrl}`,
      })),
      // The count the offset was checked against, so a client paging below it is never
      // refused: the page's own count can be a moment fresher or staler than the occasions'.
      total,
    };
  }
}
