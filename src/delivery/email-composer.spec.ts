import { resolve } from 'node:path';
import { AssetManifest } from '../assets/asset-manifest.js';
import { loadConfig } from '../config/app-config.js';
import type { DeliveryRecord } from '../greetings/recipient-lifecycle.service.js';
import { SignedLinks } from '../greetings/signed-links.js';
import { headerText } from '../platform/mail/outgoing-mail.js';
import { SiteViews } from '../rendering/site-views.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { EmailComposer } from './email-composer.js';
import { EmailViews } from './email-views.js';
import { ReturnPaths } from './return-paths.js';

const config = loadConfig({ APP_STAGE: 'test', LOG_LEVEL: 'silent', PUBLIC_PORT: '8080' });
const registry = SiteRegistry.load(config);
const assets = new AssetManifest();
assets.addFolder('base', resolve(config.paths.public));
for (const site of registry.sites) assets.addFolder(site.id, resolve(site.dir, 'public'));
const views = new SiteViews(registry.sites, assets, config.paths.views, false);
const links = new SignedLinks('unit-test-secret-unit-test-secret');
const returnPaths = new ReturnPaths('unit-test-secret-unit-test-secret', 'bounces.example');
const composer = new EmailComposer(
  new EmailViews(views, registry.sites, config.paths.views),
  links,
  returnPaths,
);

const record = (over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  recipientId: 'AAAAAAAAAAAAAAAAAAAAAA',
  recipientName: 'Bob <b>',
  recipientEmail: 'bob@example.com',
  status: 'sending',
  openedAt: null,
  greetingId: '0f8e3c9a-1b2c-4d5e-8f90-123456789abc',
  siteId: 'ecardia',
  greetingStatus: 'accepted',
  senderName: 'Ann & <script>',
  senderEmail: 'ann@example.com',
  message: 'hi',
  sendAt: null,
  timeZone: 'UTC',
  cardTitle: 'Balloons',
  cardSlug: 'balloons-at-dawn',
  artworkHash: '0123456789ab',
  ...over,
});

describe('greeting email', () => {
  const flagship = registry.get('ecardia')!;
  const partner = registry.get('kindred')!;

  it('names the sender in the subject and comes from the site, never the sender', () => {
    const mail = composer.greeting(flagship, record({ senderName: 'Ann' }));
    expect(mail.subject).toBe('Ann sent you an ecard');
    expect(mail.from).toEqual({
      name: flagship.email.fromName,
      address: flagship.email.fromAddress,
    });
    expect(mail.to.address).toBe('bob@example.com');
  });

  it('cannot carry a header injection through names', () => {
    const evil = 'Ann\r\nBcc: victim@example.com\u2028X';
    const mail = composer.greeting(flagship, record({ senderName: evil, recipientName: evil }));
    for (const value of [mail.subject, mail.to.name, mail.from.name]) {
      expect(value).not.toMatch(/[\r\n\u2028]/);
    }
    expect(mail.subject).toBe('Ann Bcc: victim@example.com X sent you an ecard');
    expect(headerText('a'.repeat(300)).length).toBeLessThanOrEqual(120);
  });

  it('renders an HTML part with user text escaped and a text part without entities', () => {
    const mail = composer.greeting(flagship, record());
    expect(mail.html).toContain('Ann &amp; &lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Ann & <script> (ann@example.com) sent you an ecard');
    expect(mail.text).not.toContain('&amp;');
  });

  it('links to the pickup page on the site host and carries one-click unsubscribe', () => {
    const mail = composer.greeting(partner, record({ siteId: 'kindred' }));
    const pickup = `http://cards.kindredpaper.example:8080/p/${links.pickupToken('AAAAAAAAAAAAAAAAAAAAAA')}`;
    expect(mail.text).toContain(pickup);
    expect(mail.html).toContain(pickup);
    expect(mail.messageId).toBe('<AAAAAAAAAAAAAAAAAAAAAA.greeting@cards.kindredpaper.example>');
    expect(mail.headers?.['List-Unsubscribe']).toMatch(
      /^<http:\/\/cards\.kindredpaper\.example:8080\/unsubscribe\/[A-Za-z0-9_-]{44}>$/,
    );
    expect(mail.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.replyTo).toBe('hello@kindredpaper.example');
  });

  it("uses a partner's own template where it has one, and the shared one elsewhere", () => {
    expect(composer.greeting(partner, record()).text).toContain('Open the envelope');
    expect(composer.greeting(flagship, record()).text).toContain('Open your card');
    expect(composer.greeting(partner, record()).html).toContain(partner.vars.themeColor);
  });

  it('shows the card as a PNG of its artwork above the button, on every site', () => {
    for (const site of [flagship, partner]) {
      const html = composer.greeting(site, record()).html;
      const image = `${site.baseUrl}/media/cards/balloons-at-dawn.0123456789ab.png`;
      expect(html).toContain(`<img src="${image}"`);
      expect(html).toContain('alt="Balloons: a card from Ann &amp; &lt;script&gt;"');
      expect(html.indexOf(image)).toBeLessThan(html.search(/>Open (your card|the envelope)</));
    }
    expect(composer.reminder(flagship, record()).html).toContain('.0123456789ab.png');
  });

  it('keeps the same Message-ID for every attempt', () => {
    expect(composer.greeting(flagship, record()).messageId).toBe(
      composer.greeting(flagship, record()).messageId,
    );
  });
});

describe('emails printed by a development run', () => {
  const dev = SiteRegistry.load(
    loadConfig({
      APP_STAGE: 'development',
      LOG_LEVEL: 'silent',
      // Links do not depend on the stores: any URL spares the test the local services' file.
      DATABASE_URL: 'mysql://ecard:unused@127.0.0.1:1/ecard',
      REDIS_URL: 'redis://:unused@127.0.0.1:1',
    }),
  );
  const local = new EmailComposer(
    new EmailViews(views, dev.sites, config.paths.views),
    links,
    returnPaths,
  );
  const kindred = dev.get('kindred')!;

  it("link to the site on kindred.localhost, which opens on the developer's machine", () => {
    const mail = local.greeting(kindred, record({ siteId: 'kindred' }));
    const pickup = `http://kindred.localhost:8080/p/${links.pickupToken('AAAAAAAAAAAAAAAAAAAAAA')}`;
    expect(mail.text).toContain(pickup);
    expect(mail.html).toContain(pickup);
    expect(mail.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/kindred\.localhost:8080\//);
    expect(mail.text).not.toContain('kindredpaper.example:8080');
    // The Message-ID names the mail's domain, not a link: the same in every stage.
    expect(mail.messageId).toBe('<AAAAAAAAAAAAAAAAAAAAAA.greeting@cards.kindredpaper.example>');
    const notice = local.senderScheduled(kindred, {
      greetingId: '0f8e3c9a-1b2c-4d5e-8f90-123456789abc',
      senderName: 'Ann',
      senderEmail: 'ann@example.com',
      sendAt: new Date('2030-01-01T09:00:00Z'),
      timeZone: 'UTC',
      cardTitle: 'Balloons',
      recipients: [{ name: 'Bob', email: 'bob@example.com' }],
    });
    expect(notice.text).toContain('http://kindred.localhost:8080/manage/');
  });
});

describe('every email', () => {
  it.each(['ecardia', 'kindred', 'merrypost'])(
    "shows %s's logo from its own host, sized, with the brand as its text",
    (id) => {
      const site = registry.get(id)!;
      const host = new URL(site.baseUrl).host;
      const alt = site.vars.brandName?.replace('&', '&amp;');
      for (const mail of [
        composer.greeting(site, record({ siteId: id })),
        composer.reminder(site, record({ siteId: id })),
        composer.senderOpened(site, record({ siteId: id })),
      ]) {
        expect(mail.html).toMatch(
          new RegExp(
            `<img src="http://${host.replace(/\./g, '\\.')}/assets/${id}/logo-email\\.[0-9a-f]{12}\\.png" alt="${alt}" width="\\d+" height="40"`,
          ),
        );
      }
    },
  );

  it('says the zone of a scheduled time', () => {
    const site = registry.get('merrypost')!;
    const mail = composer.senderScheduled(site, {
      greetingId: '0f8e3c9a-1b2c-4d5e-8f90-123456789abc',
      senderName: 'Ann',
      senderEmail: 'ann@example.com',
      sendAt: new Date('2026-12-25T14:00:00Z'),
      timeZone: 'America/New_York',
      cardTitle: 'Balloons',
      recipients: [{ name: 'Bo', email: 'bo@example.com' }],
    });
    const when = 'Fri, 25 Dec 2026, 09:00 (America/New_York, GMT-5)';
    expect(mail.text).toContain(`scheduled for ${when}`);
    expect(mail.html).toContain(`<strong>${when}</strong>`);
  });
});
