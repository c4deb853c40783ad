import {
  MOTIFS,
  artworkHash,
  renderCardSvg,
  type ArtworkSpec,
  type Motif,
} from './card-artwork.js';
import { DEMO_CARDS, DEMO_OCCASIONS } from './demo-catalog.js';

const FULL_LIMIT = 12 * 1024;
const THUMB_LIMIT = 5 * 1024;
const HOLIDAYS = ['christmas', 'valentines', 'thanksgiving', 'new-year'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const sample: ArtworkSpec = {
  motif: 'balloons',
  palette: ['#fde2e4', '#cde7f0', '#e8575a'],
  seed: 42,
};

/** Stack-based tag matcher: enough to catch unbalanced or stray markup in generated SVG. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<>]*")*)\s*(\/?)>/g;
  let cursor = 0;
  for (const match of svg.matchAll(tag)) {
    const [whole, closing, name = '', , selfClosing] = match;
    const between = svg.slice(cursor, match.index);
    expect(between).not.toMatch(/[<>]/);
    expect(between).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos);)/);
    cursor = (match.index ?? 0) + whole.length;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name);
  }
  expect(svg.slice(cursor)).toBe('');
  expect(stack).toEqual([]);
}

function assertSafe(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/foreignObject/i);
  expect(svg).not.toMatch(/href="http/i);
  expect(svg).not.toMatch(/\son\w+=/i);
  // The site's CSP forbids inline styles, so artwork relies on presentation attributes only.
  expect(svg).not.toMatch(/<style|\sstyle=/i);
  for (const [, target] of svg.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^#[\w-]+$/);
  for (const [, target] of svg.matchAll(/url\(([^)]*)\)/g)) expect(target).toMatch(/^#[\w-]+$/);
}

describe('demo catalog', () => {
  const occasionSlugs = new Set(DEMO_OCCASIONS.map((o) => o.slug));

  it('has enough occasions and cards', () => {
    expect(DEMO_OCCASIONS.length).toBeGreaterThanOrEqual(10);
    expect(DEMO_CARDS.length).toBeGreaterThanOrEqual(84);
    for (const slug of ['birthday', 'thank-you', 'wedding', ...HOLIDAYS]) {
      expect(occasionSlugs.has(slug)).toBe(true);
    }
  });

  it('uses unique kebab-case slugs that fit the schema', () => {
    expect(occasionSlugs.size).toBe(DEMO_OCCASIONS.length);
    expect(new Set(DEMO_CARDS.map((c) => c.slug)).size).toBe(DEMO_CARDS.length);
    for (const o of DEMO_OCCASIONS) {
      expect(o.slug).toMatch(KEBAB);
      expect(o.slug.length).toBeLessThanOrEqual(64);
      expect(o.name.length).toBeLessThanOrEqual(120);
      expect(o.description.length).toBeLessThanOrEqual(500);
    }
    for (const c of DEMO_CARDS) {
      expect(c.slug).toMatch(KEBAB);
      expect(c.slug.length).toBeLessThanOrEqual(120);
      expect(c.title.length).toBeLessThanOrEqual(160);
      expect(c.description.length).toBeLessThanOrEqual(500);
      expect(c.insideText.length).toBeLessThanOrEqual(1000);
    }
  });

  it('puts every card in a known occasion, with enough cards per occasion', () => {
    for (const card of DEMO_CARDS) expect(occasionSlugs).toContain(card.occasionSlug);
    for (const occasion of DEMO_OCCASIONS) {
      const cards = DEMO_CARDS.filter((c) => c.occasionSlug === occasion.slug);
      const minimum = HOLIDAYS.includes(occasion.slug) ? 7 : 6;
      // Wrapped with the slug so a failure names the occasion that is short of cards.
      expect({ occasion: occasion.slug, enough: cards.length >= minimum }).toEqual({
        occasion: occasion.slug,
        enough: true,
      });
      const orders = cards.map((c) => c.sortOrder);
      expect(new Set(orders).size).toBe(orders.length);
    }
  });

  it('features about a dozen cards spread over the occasions', () => {
    const featured = DEMO_CARDS.filter((c) => c.featured);
    expect(featured.length).toBeGreaterThanOrEqual(10);
    expect(featured.length).toBeLessThanOrEqual(14);
    expect(new Set(featured.map((c) => c.occasionSlug)).size).toBeGreaterThanOrEqual(10);
  });

  it('only uses the site placeholders, in roughly one card in five', () => {
    const allowed = new Set(['{brandName}', '{tagline}']);
    let withPlaceholders = 0;
    for (const card of DEMO_CARDS) {
      for (const text of [card.title, card.description]) expect(text).not.toMatch(/[{}]/);
      const found = card.insideText.match(/\{[^{}]*\}/g) ?? [];
      for (const placeholder of found) expect(allowed).toContain(placeholder);
      expect(card.insideText.replace(/\{(?:brandName|tagline)\}/g, '')).not.toMatch(/[{}]/);
      // Brand names can end in a full stop ("Kindred Paper Co."), so never follow one with another.
      expect(card.insideText).not.toMatch(/\{brandName\}\./);
      if (found.length > 0) withPlaceholders++;
    }
    expect(withPlaceholders).toBeGreaterThanOrEqual(Math.floor(DEMO_CARDS.length / 7));
    expect(withPlaceholders).toBeLessThanOrEqual(Math.ceil(DEMO_CARDS.length / 3));
  });

  it('keeps the inside verse to one to three short lines', () => {
    for (const card of DEMO_CARDS) {
      const lines = card.insideText.split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(3);
      for (const line of lines) expect(line.trim().length).toBeGreaterThan(0);
    }
  });

  it('gives every card valid artwork with its own seed', () => {
    const seeds = DEMO_CARDS.map((c) => c.artwork.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const { artwork } of DEMO_CARDS) {
      expect(MOTIFS).toContain(artwork.motif);
      for (const colour of artwork.palette) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(new Set(DEMO_CARDS.map((c) => c.artwork.motif)).size).toBeGreaterThanOrEqual(10);
  });
});

describe('renderCardSvg', () => {
  it('is deterministic', () => {
    for (const thumbnail of [false, true]) {
      const first = renderCardSvg(sample, 'Balloons at Dawn', { thumbnail });
      const second = renderCardSvg(
        { ...sample, palette: [...sample.palette] },
        'Balloons at Dawn',
        {
          thumbnail,
        },
      );
      expect(second).toBe(first);
    }
    expect(renderCardSvg({ ...sample, seed: 43 }, 'Balloons at Dawn')).not.toBe(
      renderCardSvg(sample, 'Balloons at Dawn'),
    );
  });

  it('uses the portrait card and thumbnail sizes', () => {
    expect(renderCardSvg(sample, 'Hello')).toContain('viewBox="0 0 600 800"');
    expect(renderCardSvg(sample, 'Hello', { thumbnail: true })).toContain('viewBox="0 0 300 400"');
  });

  it('escapes the title', () => {
    for (const thumbnail of [false, true]) {
      const svg = renderCardSvg(sample, `<script>&"'`, { thumbnail });
      expect(svg).toContain('&lt;script&gt;&amp;&quot;&apos;');
      assertSafe(svg);
      assertWellFormed(svg);
    }
  });

  it('survives awkward titles', () => {
    const titles = [
      '',
      '   ',
      'Supercalifragilisticexpialidocious',
      'x'.repeat(500),
      'a\u0000b\ud800c',
    ];
    for (const title of titles) {
      const svg = renderCardSvg(sample, title);
      assertSafe(svg);
      assertWellFormed(svg);
      expect(Buffer.byteLength(svg)).toBeLessThanOrEqual(FULL_LIMIT);
      expect(svg).not.toMatch(/[\u0000\ud800]/);
    }
  });

  it('rejects palettes and motifs that could smuggle in markup', () => {
    const evil = '#fff"/><script>alert(1)</script><x a="';
    expect(() =>
      renderCardSvg({ ...sample, palette: [evil, '#000000', '#ffffff'] }, 'x'),
    ).toThrow();
    expect(() => renderCardSvg({ ...sample, motif: 'nope' as Motif }, 'x')).toThrow();
  });

  it('renders every motif safely', () => {
    MOTIFS.forEach((motif, i) => {
      for (const thumbnail of [false, true]) {
        const svg = renderCardSvg({ ...sample, motif, seed: 7 + i }, 'A Card for Every Motif', {
          thumbnail,
        });
        assertSafe(svg);
        assertWellFormed(svg);
      }
    });
  });

  it('renders every demo card safely and within the size budget', () => {
    for (const card of DEMO_CARDS) {
      const full = renderCardSvg(card.artwork, card.title);
      const thumb = renderCardSvg(card.artwork, card.title, { thumbnail: true });
      for (const svg of [full, thumb]) {
        assertSafe(svg);
        assertWellFormed(svg);
      }
      expect({ slug: card.slug, bytes: Buffer.byteLength(full) <= FULL_LIMIT }).toEqual({
        slug: card.slug,
        bytes: true,
      });
      expect({ slug: card.slug, bytes: Buffer.byteLength(thumb) <= THUMB_LIMIT }).toEqual({
        slug: card.slug,
        bytes: true,
      });
    }
  });
});

describe('artworkHash', () => {
  it('is a stable 12-character hex fingerprint', () => {
    const svg = renderCardSvg(sample, 'Balloons at Dawn');
    expect(artworkHash(svg)).toMatch(/^[0-9a-f]{12}$/);
    expect(artworkHash(svg)).toBe(artworkHash(svg));
    expect(artworkHash(svg)).not.toBe(artworkHash(renderCardSvg(sample, 'Balloons at Noon')));
  });
});
