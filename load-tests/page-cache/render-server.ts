import Fastify from 'fastify';
import { join, resolve } from 'node:path';
import { AssetManifest } from '../../src/assets/asset-manifest.js';
import { cardImagePath, cardThumbPath } from '../../src/catalog/card-urls.js';
import { FLAG_KEYS, FLAGS } from '../../src/config/flag-registry.js';
import { loadConfig } from '../../src/config/app-config.js';
import { substitutePlaceholders } from '../../src/rendering/placeholders.js';
import { SiteViews } from '../../src/rendering/site-views.js';
import { artworkHash, renderCardSvg } from '../../src/seed/card-artwork.js';
import { DEMO_CARDS, DEMO_OCCASIONS } from '../../src/seed/demo-catalog.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { readHeadersFile } from '../support/response-headers.js';

/**
 * The render baseline: bare Fastify and the same nunjucks environment rendering the card
 * template with the same card, built from the demo catalog in memory. No Nest, no data layer.
 * It sends the headers the platform sent for the page (HEADERS_FILE), so both sides put the
 * same bytes on the wire.
 */
const config = loadConfig(process.env);
const registry = SiteRegistry.load(config);
const site = registry.get('ecardia');
if (!site) throw new Error('no ecardia site');
const assets = new AssetManifest();
assets.addFolder('base', resolve(config.paths.public));
for (const s of registry.sites) assets.addFolder(s.id, join(s.dir, 'public'));
const views = new SiteViews(registry.sites, assets, config.paths.views, false);

const tile = (slug: string) => {
  const card = DEMO_CARDS.find((c) => c.slug === slug);
  if (!card) throw new Error(`no card ${slug}`);
  const svg = renderCardSvg(card.artwork, card.title);
  const hash = artworkHash(svg + renderCardSvg(card.artwork, card.title, { thumbnail: true }));
  const occasion = DEMO_OCCASIONS.find((o) => o.slug === card.occasionSlug);
  return {
    card,
    tile: {
      slug: card.slug,
      title: card.title,
      occasionSlug: card.occasionSlug,
      occasionName: occasion?.name ?? '',
      imageUrl: cardImagePath({ slug: card.slug, artworkHash: hash }),
      thumbUrl: cardThumbPath({ slug: card.slug, artworkHash: hash }),
    },
  };
};

const { card, tile: cardTile } = tile(process.env.CARD_SLUG ?? '');
const model = {
  card: {
    ...cardTile,
    id: 1,
    description: substitutePlaceholders(card.description, site.vars),
    insideText: substitutePlaceholders(card.insideText, site.vars),
    occasion: { slug: cardTile.occasionSlug, name: cardTile.occasionName },
  },
  related: DEMO_CARDS.filter((c) => c.occasionSlug === card.occasionSlug && c.slug !== card.slug)
    .slice(0, 4)
    .map((c) => tile(c.slug).tile),
  requestPath: `/cards/${card.slug}`,
  // What the stack's page shows too: the site's flag values and a view count, so both sides
  // render the same blocks of the template.
  features: Object.fromEntries(
    FLAG_KEYS.map((key) => [key, site.features[key] ?? FLAGS[key].defaultValue]),
  ),
  views: Number(process.env.CARD_VIEWS ?? 1000),
};

const headers = readHeadersFile(process.env.HEADERS_FILE);
const fastify = Fastify();
fastify.get('/*', (_request, reply) => {
  void reply
    .headers(headers)
    .type('text/html; charset=utf-8')
    .send(views.render(site, 'pages/card.njk', model));
});
await fastify.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
