import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config.js';
import { EmailComposer } from '../../src/delivery/email-composer.js';
import { ReturnPaths } from '../../src/delivery/return-paths.js';
import { EmailViews } from '../../src/delivery/email-views.js';
import { newRecipientId, SignedLinks } from '../../src/greetings/signed-links.js';
import type { OutgoingMail } from '../../src/platform/mail/outgoing-mail.js';
import { AssetManifest } from '../../src/assets/asset-manifest.js';
import { SiteViews } from '../../src/rendering/site-views.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { BENCH_GREETING } from './bench-data.js';

/**
 * The emails the baseline sends: built by the platform's own composer from the same greeting
 * the pipeline sends (site, card, sender, message), so nodemailer alone carries the same
 * multipart messages, headers and sizes as the worker does. Built before the clock starts:
 * the baseline measures sending, not rendering.
 */
export async function baselineMails(
  env: Record<string, string>,
  db: DataSource,
  n: number,
  label: string,
): Promise<OutgoingMail[]> {
  const config = loadConfig({ ...process.env, ...env, APP_STAGE: 'test', PORT: '8080' });
  const registry = SiteRegistry.load(config);
  const assets = new AssetManifest();
  assets.addFolder('base', resolve(config.paths.public));
  for (const site of registry.sites) assets.addFolder(site.id, join(site.dir, 'public'));
  const pages = new SiteViews(registry.sites, assets, config.paths.views, false);
  const composer = new EmailComposer(
    new EmailViews(pages, registry.sites, config.paths.views),
    new SignedLinks(config.pickupTokenSecret),
    new ReturnPaths(config.pickupTokenSecret, config.bounces.domain),
  );
  const site = registry.get(BENCH_GREETING.siteId);
  if (!site) throw new Error(`no site ${BENCH_GREETING.siteId}`);
  const [card] = await db.query<{ title: string; slug: string; artworkHash: string }[]>(
    'SELECT title, slug, artwork_hash AS artworkHash FROM cards ORDER BY id LIMIT 1',
  );
  return Array.from({ length: n }, (_, i) =>
    composer.greeting(site, {
      recipientId: newRecipientId(),
      recipientName: `Friend ${i}`,
      recipientEmail: `baseline-${label}-${i}@example.com`,
      status: 'sending',
      openedAt: null,
      greetingId: `baseline-${label}-${i}`,
      siteId: site.id,
      greetingStatus: 'accepted',
      senderName: BENCH_GREETING.senderName,
      senderEmail: BENCH_GREETING.senderEmail,
      message: BENCH_GREETING.message,
      sendAt: null,
      timeZone: BENCH_GREETING.timeZone,
      cardTitle: card?.title ?? 'Card',
      cardSlug: card?.slug ?? 'card',
      artworkHash: card?.artworkHash ?? '000000000000',
    }),
  );
}
