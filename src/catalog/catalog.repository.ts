import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../platform/database/database.service.js';
import type { CatalogScope } from '../sites/site.js';
import { Card } from './card.entity.js';
import type {
  ArtworkVariant,
  CardDetail,
  CardSummary,
  OccasionSummary,
  Page,
} from './catalog.types.js';
import { Occasion } from './occasion.entity.js';

/** A search as the repository runs it: words already reduced to letters and digits. */
export interface CardSearchFilter {
  terms: readonly string[];
  occasionSlug: string | null;
  style: string | null;
  addedWithinDays: number | null;
  limit: number;
  offset: number;
}

/** Rows come back as the summary's columns; ids may arrive as strings from the driver. */
type CardRow = CardSummary;

const SUMMARY_COLUMNS = [
  'c.id AS id',
  'c.slug AS slug',
  'c.title AS title',
  'o.slug AS occasionSlug',
  'o.name AS occasionName',
  'c.artwork_hash AS artworkHash',
];

/** Catalog reads. Every method takes the site's scope first, so no query forgets the tenant. */
@Injectable()
export class CatalogRepository {
  constructor(private readonly db: DatabaseService) {}

  async listOccasions(scope: CatalogScope): Promise<OccasionSummary[]> {
    const rows = await this.scopedCards(scope)
      .select(['o.id AS id', 'o.slug AS slug', 'o.name AS name', 'o.description AS description'])
      .addSelect('COUNT(c.id)', 'cardCount')
      .groupBy('o.id')
      .orderBy('o.sort_order', 'ASC')
      .getRawMany<Omit<OccasionSummary, 'cardCount'> & { cardCount: string | number }>();
    return rows.map((r) => ({ ...r, id: Number(r.id), cardCount: Number(r.cardCount) }));
  }

  async listCards(
    scope: CatalogScope,
    filter: { occasionSlug?: string | undefined; limit: number; offset: number },
  ): Promise<Page<CardSummary>> {
    const query = this.scopedCards(scope);
    if (filter.occasionSlug !== undefined) {
      query.andWhere('o.slug = :occasionSlug', { occasionSlug: filter.occasionSlug });
    }
    const total = await query.clone().getCount();
    const rows = await query
      .select(SUMMARY_COLUMNS)
      .orderBy('o.sort_order', 'ASC')
      .addOrderBy('c.sort_order', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(filter.limit)
      .offset(filter.offset)
      .getRawMany<CardRow>();
    return { items: rows.map(toSummary), total };
  }

  /**
   * Cards matching every search term (as a word prefix) in their texts or tags, or in their
   * occasion's name, best matches first; narrowed by the filters. Full-text indexes on both
   * tables answer the match, so a search costs the same with thousands of cards.
   */
  async searchCards(scope: CatalogScope, search: CardSearchFilter): Promise<Page<CardSummary>> {
    const query = this.scopedCards(scope);
    const expression = search.terms.map((term) => `+${term}*`).join(' ');
    const score = `MATCH(c.title, c.description, c.inside_text, c.tags) AGAINST (:expression IN BOOLEAN MODE)`;
    if (expression !== '') {
      // Occasions first (a dozen rows): when none is named, as in most searches, the cards'
      // own full-text index alone finds the matches instead of a match tried on every card.
      const named = await this.occasionsNamed(expression);
      if (named.length === 0) query.andWhere(score, { expression });
      else {
        query.andWhere(`(${score} OR c.occasion_id IN (:...named))`, { expression, named });
      }
    }
    if (search.occasionSlug !== null) {
      query.andWhere('o.slug = :occasionSlug', { occasionSlug: search.occasionSlug });
    }
    if (search.style !== null) query.andWhere('c.style = :style', { style: search.style });
    if (search.addedWithinDays !== null) {
      query.andWhere('c.created_at >= NOW() - INTERVAL :days DAY', {
        days: search.addedWithinDays,
      });
    }
    const total = await query.clone().getCount();
    query.select(SUMMARY_COLUMNS);
    if (expression !== '') query.addSelect(score, 'score').orderBy('score', 'DESC');
    if (search.addedWithinDays !== null) query.addOrderBy('c.created_at', 'DESC');
    const rows = await query
      .addOrderBy('c.sort_order', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(search.limit)
      .offset(search.offset)
      .getRawMany<CardRow>();
    return { items: rows.map(toSummary), total };
  }

  private async occasionsNamed(expression: string): Promise<number[]> {
    const rows = await this.db
      .reader()
      .createQueryBuilder(Occasion, 'o')
      .select('o.id AS id')
      .where('MATCH(o.name) AGAINST (:expression IN BOOLEAN MODE)', { expression })
      .getRawMany<{ id: number | string }>();
    return rows.map((r) => Number(r.id));
  }

  async listFeatured(scope: CatalogScope, limit: number): Promise<CardSummary[]> {
    const rows = await this.scopedCards(scope)
      .select(SUMMARY_COLUMNS)
      .andWhere('c.featured = 1')
      .orderBy('c.sort_order', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit)
      .getRawMany<CardRow>();
    return rows.map(toSummary);
  }

  async listRelated(scope: CatalogScope, card: CardDetail, limit: number): Promise<CardSummary[]> {
    const rows = await this.scopedCards(scope)
      .select(SUMMARY_COLUMNS)
      .andWhere('c.occasion_id = :occasionId AND c.id <> :id', {
        occasionId: card.occasionId,
        id: card.id,
      })
      .orderBy('c.sort_order', 'ASC')
      .limit(limit)
      .getRawMany<CardRow>();
    return rows.map(toSummary);
  }

  findCard(scope: CatalogScope, slug: string): Promise<CardDetail | null> {
    return this.findCardWhere(scope, 'c.slug = :slug', { slug });
  }

  findCardById(scope: CatalogScope, id: number): Promise<CardDetail | null> {
    return this.findCardWhere(scope, 'c.id = :id', { id });
  }

  private async findCardWhere(
    scope: CatalogScope,
    condition: string,
    params: Record<string, string | number>,
  ): Promise<CardDetail | null> {
    const row = await this.scopedCards(scope)
      .select([
        ...SUMMARY_COLUMNS,
        'c.description AS description',
        'c.inside_text AS insideText',
        'c.occasion_id AS occasionId',
      ])
      .andWhere(condition, params)
      .getRawOne<CardRow & { description: string; insideText: string; occasionId: number }>();
    if (!row) return null;
    return {
      ...toSummary(row),
      description: row.description,
      insideText: row.insideText,
      occasionId: Number(row.occasionId),
    };
  }

  /** Artwork is shared by every site that carries the card; the URL's hash pins the version. */
  async findArtwork(slug: string, hash: string, variant: ArtworkVariant): Promise<string | null> {
    const column = variant === 'full' ? 'c.artwork_svg' : 'c.thumbnail_svg';
    const row = await this.db
      .reader()
      .createQueryBuilder(Card, 'c')
      .select(`${column} AS svg`)
      .where('c.slug = :slug AND c.artwork_hash = :hash', { slug, hash })
      .getRawOne<{ svg: string }>();
    return row?.svg ?? null;
  }

  /** Applies an edit on the primary; returns the card's occasion slug, or null if no card. */
  async updateCard(
    slug: string,
    changes: { title?: string; description?: string; insideText?: string; featured?: boolean },
  ): Promise<string | null> {
    const writer = this.db.writer();
    const set: Partial<Card> = {};
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.insideText !== undefined) set.insideText = changes.insideText;
    if (changes.featured !== undefined) set.featured = changes.featured;
    if (Object.keys(set).length > 0) {
      await writer
        .createQueryBuilder()
        .update(Card)
        .set(set)
        .where('slug = :slug', { slug })
        .execute();
    }
    const row = await writer
      .createQueryBuilder(Card, 'c')
      .innerJoin(Occasion, 'o', 'o.id = c.occasion_id')
      .select('o.slug AS occasionSlug')
      .where('c.slug = :slug', { slug })
      .getRawOne<{ occasionSlug: string }>();
    return row?.occasionSlug ?? null;
  }

  private scopedCards(scope: CatalogScope): SelectQueryBuilder<Card> {
    const query = this.db
      .reader()
      .createQueryBuilder(Card, 'c')
      .innerJoin(Occasion, 'o', 'o.id = c.occasion_id');
    if (scope.occasionSlugs !== null) {
      query.andWhere('o.slug IN (:...included)', { included: [...scope.occasionSlugs] });
    }
    if (scope.excludeOccasions.length > 0) {
      query.andWhere('o.slug NOT IN (:...excludedOccasions)', {
        excludedOccasions: [...scope.excludeOccasions],
      });
    }
    if (scope.excludeCards.length > 0) {
      query.andWhere('c.slug NOT IN (:...excludedCards)', {
        excludedCards: [...scope.excludeCards],
      });
    }
    return query;
  }
}

function toSummary(row: CardRow): CardSummary {
  return {
    id: Number(row.id),
    slug: row.slug,
    title: row.title,
    occasionSlug: row.occasionSlug,
    occasionName: row.occasionName,
    artworkHash: row.artworkHash,
  };
}
