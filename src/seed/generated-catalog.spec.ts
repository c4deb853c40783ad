import { MOTIFS } from './card-artwork.js';
import { DEMO_CARDS, DEMO_OCCASIONS } from './demo-catalog.js';
import { generateCards } from './generated-catalog.js';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('generated catalog', () => {
  const cards = generateCards(5000);

  it('is the same for the same count, and card n does not depend on the count', () => {
    expect(generateCards(5000)).toEqual(cards);
    expect(generateCards(400)).toEqual(cards.slice(0, 400));
  });

  it('uses unique slugs that clash with no hand-written card and fit the schema', () => {
    const slugs = new Set([...DEMO_CARDS.map((c) => c.slug), ...cards.map((c) => c.slug)]);
    expect(slugs.size).toBe(DEMO_CARDS.length + cards.length);
    for (const card of cards) {
      expect(card.slug).toMatch(KEBAB);
      expect(card.slug.length).toBeLessThanOrEqual(120);
      expect(card.title.length).toBeLessThanOrEqual(64);
      expect(card.description.length).toBeLessThanOrEqual(500);
      expect(card.insideText.split('\n')).toHaveLength(2);
      expect(MOTIFS).toContain(card.artwork.motif);
      expect(card.featured).toBe(false);
    }
  });

  it('spreads the cards over every occasion with a few big ones', () => {
    const sizes = DEMO_OCCASIONS.map((o) => cards.filter((c) => c.occasionSlug === o.slug).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(cards.length);
    const sorted = [...sizes].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(1000);
    expect(sorted[2]).toBeGreaterThan(300);
    expect(sorted[sorted.length - 1]).toBeGreaterThan(50);
    expect(sorted[sorted.length - 1]).toBeLessThan((sorted[0] ?? 0) / 5);
  });

  it('sorts after the hand-written cards and names the site through placeholders only', () => {
    const lastHandWritten = Math.max(...DEMO_CARDS.map((c) => c.sortOrder));
    for (const card of cards) {
      expect(card.sortOrder).toBeGreaterThan(lastHandWritten);
      expect(card.insideText.replace(/\{brandName\}/g, '')).not.toMatch(/[{}]/);
      expect(card.insideText).not.toMatch(/\{brandName\}\./);
    }
    const branded = cards.filter((c) => c.insideText.includes('{brandName}')).length;
    expect(branded).toBeGreaterThan(cards.length / 10);
  });
});
