import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CatalogService, type CardView } from '../catalog/catalog.service.js';
import type { DeliveryRecord } from '../greetings/recipient-lifecycle.service.js';
import type { SiteDefinition } from '../sites/site.schema.js';
import type { Site } from '../sites/site.js';

/** The made-up greeting every preview shows: never stored, never sent. */
export const SAMPLE_GREETING = {
  senderName: 'Alex Sample',
  senderEmail: 'alex@example.com',
  recipientName: 'Sam',
  recipientEmail: 'sam@example.com',
  message: "This is how a sender's message looks on your pickup page.",
  /** Ids no greeting or recipient has (all zero bits): links built from them lead nowhere. */
  greetingId: '00000000-0000-4000-8000-000000000000',
  recipientId: 'AAAAAAAAAAAAAAAAAAAAAA',
} as const;

/**
 * The sample greeting as the delivery worker reads a recipient's email from the database, for
 * the real email composer to build the draft's greeting email from.
 */
export function sampleDeliveryRecord(site: Site, card: CardView): DeliveryRecord {
  const g = SAMPLE_GREETING;
  return {
    recipientId: g.recipientId,
    recipientName: g.recipientName,
    recipientEmail: g.recipientEmail,
    status: 'sending',
    openedAt: null,
    greetingId: g.greetingId,
    siteId: site.id,
    greetingStatus: 'accepted',
    senderName: g.senderName,
    senderEmail: g.senderEmail,
    message: g.message,
    sendAt: null,
    timeZone: site.timeZone,
    cardTitle: card.title,
    cardSlug: card.slug,
    artworkHash: card.artworkHash,
  };
}

/**
 * What a draft's previews show besides the draft itself: its occasions and a card of them.
 * Read through the admin host's site, which carries the whole shared catalog: the draft's own
 * id would put a draft's choices in the live site's data cache.
 */
@Injectable()
export class PreviewSamples {
  constructor(private readonly catalog: CatalogService) {}

  /** The occasions of the shared catalog the draft chose. */
  async occasionsOf(req: FastifyRequest, draft: SiteDefinition) {
    const all = await this.catalog.listOccasions(adminSite(req));
    const include: readonly string[] = draft.catalog.includeOccasions;
    return all.filter(
      (o) =>
        (include[0] === '*' || include.includes(o.slug)) &&
        !draft.catalog.excludeOccasions.includes(o.slug),
    );
  }

  /** The first card of the first of `occasions`, or null when there is none. */
  async sampleCard(
    req: FastifyRequest,
    occasions: readonly { slug: string }[],
  ): Promise<CardView | null> {
    const first = occasions[0];
    if (!first) return null;
    const page = await this.catalog.occasionPage(adminSite(req), first.slug, 1);
    const slug = page.cards[0]?.slug;
    return slug ? this.catalog.card(adminSite(req), slug) : null;
  }
}

/** The admin host's site carries the whole shared catalog. */
function adminSite(req: FastifyRequest): Site {
  if (!req.site) throw new Error('console page without a site');
  return req.site;
}
