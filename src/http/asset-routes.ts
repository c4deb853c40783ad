import type { FastifyInstance } from 'fastify';
import type { AssetManifest } from '../assets/asset-manifest.js';
import { representationFor } from '../common/content-encoding.js';
import { siteOf } from '../sites/site-request.js';

/** A day: the icon behind it is immutable, but its address changes when the icon does. */
const FAVICON_REDIRECT_MAX_AGE = 86400;

/**
 * Fingerprinted static files, answered straight from memory by Fastify: the URL changes when
 * the content does, so every response may be cached for a year.
 */
export function installAssetRoutes(fastify: FastifyInstance, assets: AssetManifest): void {
  fastify.get('/assets/*', (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const asset = assets.lookup(path);
    if (!asset) {
      void reply.code(404).header('Cache-Control', 'no-store').type('text/plain').send('Not found');
      return;
    }
    const answer = representationFor(request.headers['accept-encoding'], asset, (encoding) =>
      assets.encodedBody(asset, encoding),
    );
    reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('ETag', answer.etag)
      .type(asset.contentType);
    if (asset.compressible) reply.header('Vary', 'Accept-Encoding');
    const asked = request.headers['if-none-match'];
    if (asked === asset.etag || asked === `W/${asset.etag}`) {
      void reply.code(304).send();
      return;
    }
    if (answer.encoding !== null) reply.header('Content-Encoding', answer.encoding);
    void reply.send(answer.body);
  });

  // Browsers and bookmarks ask for /favicon.ico whatever the page says: send them to the
  // site's fingerprinted icon.
  fastify.get('/favicon.ico', (request, reply) => {
    const url = assets.siteUrl(siteOf(request).id, 'favicon.svg');
    if (!url) {
      void reply.code(404).header('Cache-Control', 'no-store').type('text/plain').send('Not found');
      return;
    }
    void reply
      .code(301)
      .header('Location', url)
      .header('Cache-Control', `public, max-age=${FAVICON_REDIRECT_MAX_AGE}`)
      .send();
  });
}
