/** Read models of the catalog, as the repository returns them (no artwork bodies). */
export interface OccasionSummary {
  id: number;
  slug: string;
  name: string;
  description: string;
  cardCount: number;
}

export interface CardSummary {
  id: number;
  slug: string;
  title: string;
  occasionSlug: string;
  occasionName: string;
  artworkHash: string;
}

export interface CardDetail extends CardSummary {
  description: string;
  insideText: string;
  occasionId: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type ArtworkVariant = 'full' | 'thumb';
