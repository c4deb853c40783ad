import { testConfig } from '../support/test-app.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalMailbox, type LocalMailbox } from '../../scripts/local-mailbox.js';
import { AssetManifest } from '../../src/assets/asset-manifest.js';
import { loadConfig } from '../../src/config/app-config.js';
import { EmailComposer } from '../../src/delivery/email-composer.js';
import { ReturnPaths } from '../../src/delivery/return-paths.js';
import { EmailViews } from '../../src/delivery/email-views.js';
import { SignedLinks } from '../../src/greetings/signed-links.js';
import { MailSender } from '../../src/platform/mail/mail-sender.js';
import { SiteViews } from '../../src/rendering/site-views.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';

/** The mailbox `npm start` runs: a greeting sent by a development worker is one click away. */
describe('the local mailbox', () => {
  let folder: string;
  let mailbox: LocalMailbox;
  const lines: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mailbox-'));
    mailbox = await startLocalMailbox({
      smtpPort: 0,
      inboxPort: 0,
      folder,
      log: (l) => lines.push(l),
    });
  });
  afterAll(async () => {
    await mailbox.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps a greeting, prints its pickup link and lists it with the link to click', async () => {
    const config = loadConfig({
      APP_STAGE: 'development',
      LOG_LEVEL: 'silent',
      // The run's own stores: this machine may have no development services.
      DATABASE_URL: testConfig().database.primaryUrl,
      REDIS_URL: testConfig().redisUrl,
      SMTP_URL: `smtp://127.0.0.1:${mailbox.smtpPort}`,
    });
    const registry = SiteRegistry.load(config);
    const assets = new AssetManifest();
    assets.addFolder('base', resolve(config.paths.public));
    for (const site of registry.sites) assets.addFolder(site.id, resolve(site.dir, 'public'));
    const views = new SiteViews(registry.sites, assets, config.paths.views, false);
    const links = new SignedLinks(config.pickupTokenSecret);
    const composer = new EmailComposer(
      new EmailViews(views, registry.sites, config.paths.views),
      links,
      new ReturnPaths(config.pickupTokenSecret, config.bounces.domain),
    );
    const kindred = registry.get('kindred')!;
    const recipientId = 'BBBBBBBBBBBBBBBBBBBBBB';
    const mail = composer.greeting(kindred, {
      recipientId,
      recipientName: 'Bob',
      recipientEmail: 'bob@example.com',
      status: 'sending',
      openedAt: null,
      greetingId: '0f8e3c9a-1b2c-4d5e-8f90-123456789abc',
      siteId: 'kindred',
      greetingStatus: 'accepted',
      senderName: 'Ann',
      senderEmail: 'ann@example.com',
      message: 'Happy birthday!',
      sendAt: null,
      timeZone: 'UTC',
      cardTitle: 'Balloons',
      cardSlug: 'balloons-at-dawn',
      artworkHash: '0123456789ab',
    });
    const sender = new MailSender(config);
    try {
      await sender.send(mail);
    } finally {
      sender.onApplicationShutdown();
    }
    const pickup = `http://kindred.localhost:8080/p/${links.pickupToken(recipientId)}`;

    await waitFor(() => lines.length > 0);
    expect(lines[0]).toContain('"Ann sent you an ecard" to bob@example.com');
    expect(lines[0]).toContain(`open the card: ${pickup}`);
    const [file] = readdirSync(folder);
    expect(file).toMatch(/\.eml$/);

    const inbox = await fetch(mailbox.inboxUrl);
    expect(inbox.status).toBe(200);
    const list = await inbox.text();
    expect(list).toContain(`<a href="${pickup}">open the card</a>`);
    expect(list).toContain(`<a href="/${file}">Ann sent you an ecard</a>`);

    const message = await (await fetch(`${mailbox.inboxUrl}${file}`)).text();
    expect(message).toContain('Dear Bob,');
    expect(message).toContain(`unsubscribe: <a href="http://kindred.localhost:8080/unsubscribe/`);
    const html = await fetch(`${mailbox.inboxUrl}${file}.html`);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await html.text()).toContain(`href="${pickup}"`);
  });

  it('answers 404 for anything that is not a kept message', async () => {
    for (const path of ['../package.json', '1-1.eml', '%2e%2e%2fpackage.json', 'x.eml/raw']) {
      expect((await fetch(`${mailbox.inboxUrl}${path}`)).status).toBe(404);
    }
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}
