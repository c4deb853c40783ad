import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEV_DKIM_KEY_ENCRYPTION_KEY } from '../../src/config/dkim-config.js';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import { DkimKeySeal } from '../../src/sites/dkim-key-seal.js';
import { SitesService } from '../../src/sites/sites.service.js';
import type { AccountClient } from '../support/account-client.js';
import { openPickup } from '../support/browser-forms.js';
import { uniqueEmail } from '../support/db.js';
import { acceptLink, consoleLink } from '../support/partner-console.js';
import { firstCardSlug, type TestApp } from '../support/test-app.js';
import { checkDkim } from './support/dkim.js';
import { type DeliveryStack, startDeliveryStack } from './support/delivery-stack.js';
import type { ReceivedMail, SmtpSink } from './support/smtp-sink.js';
import { VOUCHING_API_KEY } from '../support/factories.js';

/** An activation reaches every worker within this long (a Redis message, then one read). */
const SIGNS_WITHIN_MS = 1000;
const SITE_ID = 'dkimco-cards';
const HOSTNAME = 'cards.dkimco.example';
const BOUNCE_DOMAIN = 'bounces.cards.dkimco.example';

interface Sent {
  id: string;
  recipients: { email: string; pickupUrl: string }[];
}

/**
 * A partner site's own DKIM key, end to end: made in the console, its DNS record read off the
 * console page, activated, and then every email of the site (the greeting and the notice to its
 * sender) arrives at a real SMTP server signed by the site's domain with that key, its envelope
 * sender on the site's bounce domain. Until activation the platform's key signs.
 */
describe('per-brand DKIM through the console, a real worker and SMTP', () => {
  let stack: DeliveryStack;
  let sink: SmtpSink;
  let web: TestApp;
  let db: DataSource;
  let op: AccountClient;
  let platformPublicKey: string;
  const adminEmail = uniqueEmail('dkimco-admin');

  beforeAll(async () => {
    const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
    platformPublicKey = platform.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    stack = await startDeliveryStack('sitedkim', {
      // A partner system's key vouches for its senders, so they hear their card was opened.
      API_KEYS: `dkimco-crm=${VOUCHING_API_KEY}`,
      DKIM_DOMAIN: 'ecard-platform.example',
      DKIM_SELECTOR: 'platform2026',
      DKIM_PRIVATE_KEY: platform.privateKey
        .export({ type: 'pkcs8', format: 'pem' })
        .toString()
        .replace(/\n/g, '\\n'),
    });
    ({ sink, web, db } = stack);
    const link = new URL(await operatorLink(web.config, uniqueEmail('dkim-operator')));
    op = await acceptLink(
      web,
      link.pathname + link.search,
      'dkim operator passphrase',
      '198.51.100.81',
    );
    const made = await op.submit('/partner', '/partner/partners', [
      ['partnerId', 'dkimco'],
      ['partnerName', 'Dkimco Ltd'],
      ['siteId', SITE_ID],
      ['siteName', 'Dkimco Cards'],
      ['hostname', HOSTNAME],
      ['adminEmail', adminEmail],
    ]);
    expect(made.statusCode).toBe(303);
    // The operator gives the brand a bounce domain of its own (a site folder's email.bounceDomain).
    await web.app
      .get(SitesService)
      .update(SITE_ID, (d) => ({ ...d, email: { ...d.email, bounceDomain: BOUNCE_DOMAIN } }), {
        author: 'operator',
        reason: 'own bounce domain',
      });
  });

  afterAll(() => stack.stop());

  async function send(address: string): Promise<Sent> {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTNAME,
      headers: { 'x-api-key': VOUCHING_API_KEY },
      payload: {
        cardSlug: await firstCardSlug(web, HOSTNAME),
        sender: { name: 'Dee Sender', email: uniqueEmail('dee') },
        recipients: [{ name: 'Rae', email: address }],
        message: 'Signed, sealed, delivered',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Sent>();
  }

  async function received(address: string): Promise<ReceivedMail> {
    await sink.waitFor((all) => all.some((m) => m.to.includes(address)));
    return sink.received.find((m) => m.to.includes(address)) as ReceivedMail;
  }

  const emailPage = () => op.get(`/partner/sites/${SITE_ID}/email`);

  it('signs with the platform key until the site has an active key of its own', async () => {
    const page = await emailPage();
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="no-keys"');
    expect(page.body).toContain(BOUNCE_DOMAIN);

    const mail = await received((await send(uniqueEmail('before'))).recipients[0]?.email ?? '');
    const check = checkDkim(mail.raw, platformPublicKey);
    expect(check.tags.get('d')).toBe('ecard-platform.example');
    expect(check.signatureValid).toBe(true);
    expect(mail.envelopeFrom).toMatch(new RegExp(`^r-[0-9a-f]{24}-[0-9a-f]{32}@${BOUNCE_DOMAIN}$`));
  });

  it('makes a key in the console, stores it sealed, and signs with it once activated', async () => {
    const made = await op.submit(
      `/partner/sites/${SITE_ID}/email`,
      `/partner/sites/${SITE_ID}/email/keys`,
      [],
    );
    expect(made.statusCode).toBe(303);
    const page = (await emailPage()).body;
    const record = /<textarea id="record-(ecard\d{6}[a-z]?)"[^>]*>([^<]+)<\/textarea>/.exec(page);
    const selector = record?.[1] ?? '';
    const zone = (record?.[2] ?? '').replace(/&quot;/g, '"');
    expect(zone.startsWith(`${selector}._domainkey.${HOSTNAME}. IN TXT "v=DKIM1; k=rsa; p=`)).toBe(
      true,
    );
    // What a resolver would hand a receiver: the TXT strings joined, then the p= tag.
    const txt = [...zone.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
    const p = /p=([A-Za-z0-9+/=]+)$/.exec(txt)?.[1] ?? '';
    const sitePublicKey = createPublicKey({
      key: Buffer.from(p, 'base64'),
      format: 'der',
      type: 'spki',
    })
      .export({ type: 'spki', format: 'pem' })
      .toString();

    // At rest the private key is sealed: no PEM, no key bytes, and it opens only under the
    // encryption key with this row's site and id.
    const [row] = await db.query<
      { id: string; private_key_sealed: string; activated_at: Date | null }[]
    >('SELECT id, private_key_sealed, activated_at FROM site_dkim_keys WHERE site_id = ?', [
      SITE_ID,
    ]);
    expect(row?.activated_at).toBeNull();
    const sealed = row?.private_key_sealed ?? '';
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('PRIVATE KEY');
    const pem = new DkimKeySeal(DEV_DKIM_KEY_ENCRYPTION_KEY).open(sealed, {
      siteId: SITE_ID,
      keyId: row?.id ?? '',
    });
    expect(pem).toContain('BEGIN PRIVATE KEY');
    // Nor the key's bytes in either base64 alphabet: no 32-character run of the PEM's body. (A
    // check for the DER prefix `MII` alone matched random ciphertext about one run in a hundred.)
    const keyBody = pem.replace(/-----[^-]+-----|\s/g, '');
    const runs: string[] = [];
    for (let i = 0; i + 32 <= keyBody.length; i += 32) runs.push(keyBody.slice(i, i + 32));
    const urlSafe = (run: string) => run.replace(/\+/g, '-').replace(/\//g, '_');
    expect(runs.length).toBeGreaterThan(20);
    expect(runs.filter((run) => sealed.includes(run) || sealed.includes(urlSafe(run)))).toEqual([]);
    const [version] = await db.query<{ definition: string }[]>(
      'SELECT definition FROM site_versions WHERE site_id = ? ORDER BY revision DESC LIMIT 1',
      [SITE_ID],
    );
    expect(version?.definition).not.toContain(p.slice(0, 40));

    // Waiting for its record: it signs nothing yet.
    const early = await received((await send(uniqueEmail('waiting'))).recipients[0]?.email ?? '');
    expect(checkDkim(early.raw, platformPublicKey).tags.get('d')).toBe('ecard-platform.example');

    const activate = /action="(\/partner\/sites\/[^"]+\/activate)"/.exec(page)?.[1] ?? '';
    const activated = await op.submit(`/partner/sites/${SITE_ID}/email`, activate, []);
    expect(activated.statusCode).toBe(303);
    expect((await emailPage()).body).toContain(`Selector ${selector}:\n    active`);

    // The worker hears of the activation within a second; from then on every email is signed.
    const started = Date.now();
    let mail: ReceivedMail;
    let sent: Sent;
    do {
      sent = await send(uniqueEmail('signed'));
      mail = await received(sent.recipients[0]?.email ?? '');
    } while (
      checkDkim(mail.raw, sitePublicKey).tags.get('d') !== HOSTNAME &&
      Date.now() - started < SIGNS_WITHIN_MS
    );
    const check = checkDkim(mail.raw, sitePublicKey);
    expect(check.tags.get('d')).toBe(HOSTNAME);
    expect(check.tags.get('s')).toBe(selector);
    expect(check.bodyHashMatches).toBe(true);
    expect(check.signatureValid).toBe(true);
    expect(mail.from).toContain(`greetings@${HOSTNAME}`);
    expect(mail.envelopeFrom).toMatch(new RegExp(`^r-[0-9a-f]{24}-[0-9a-f]{32}@${BOUNCE_DOMAIN}$`));
    // Not a rubber stamp: the platform's key does not verify it, a changed subject fails.
    expect(checkDkim(mail.raw, platformPublicKey).signatureValid).toBe(false);
    const forged = mail.raw.replace(/^Subject: .*$/m, 'Subject: Someone sent you an ecard');
    expect(checkDkim(forged, sitePublicKey).signatureValid).toBe(false);

    // The notice to the sender when the card is opened goes out signed by the brand too.
    const pickup = new URL(sent.recipients[0]?.pickupUrl ?? '');
    expect(await openPickup(web, HOSTNAME, pickup.pathname)).toBe(204);
    await sink.waitFor((all) => all.some((m) => m.subject.endsWith('opened your ecard')));
    const notice = sink.received.find((m) =>
      m.subject.endsWith('opened your ecard'),
    ) as ReceivedMail;
    const noticeCheck = checkDkim(notice.raw, sitePublicKey);
    expect(noticeCheck.tags.get('d')).toBe(HOSTNAME);
    expect(noticeCheck.signatureValid).toBe(true);
    expect(notice.envelopeFrom.endsWith(`@${BOUNCE_DOMAIN}`)).toBe(true);

    const audit = await db.query<{ action: string; after_json: string }[]>(
      "SELECT action, after_json FROM partner_audit WHERE site_id = ? AND action LIKE 'dkim-key.%' ORDER BY id",
      [SITE_ID],
    );
    expect(audit.map((a) => a.action)).toEqual(['dkim-key.generate', 'dkim-key.activate']);
    expect(JSON.parse(audit[1]?.after_json ?? '{}')).toMatchObject({ domain: HOSTNAME, selector });
    expect(audit.map((a) => a.after_json).join('')).not.toContain(p.slice(0, 40));
  });

  it('keeps a site’s keys to its partner’s admins and refuses forged posts', async () => {
    const keysOf = async (siteId: string) => {
      const [row] = await db.query<{ n: string }[]>(
        'SELECT COUNT(*) AS n FROM site_dkim_keys WHERE site_id = ?',
        [siteId],
      );
      return Number(row?.n);
    };
    const before = await keysOf(SITE_ID);
    // No form token: nothing is made.
    const forged = await op.post(`/partner/sites/${SITE_ID}/email/keys`, []);
    expect(forged.statusCode).toBe(403);
    expect(await keysOf(SITE_ID)).toBe(before);

    const other = await op.submit('/partner', '/partner/partners', [
      ['partnerId', 'otherco'],
      ['partnerName', 'Otherco'],
      ['siteId', 'otherco-cards'],
      ['siteName', 'Otherco Cards'],
      ['hostname', 'cards.otherco.example'],
      ['adminEmail', uniqueEmail('otherco-admin')],
    ]);
    expect(other.statusCode).toBe(303);
    const admin = await acceptLink(
      web,
      await consoleLink(sink, adminEmail, 'invite'),
      'dkimco admin passphrase',
      '198.51.100.82',
    );
    const own = await admin.get(`/partner/sites/${SITE_ID}/email`);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('PRIVATE KEY');
    expect((await admin.get('/partner/sites/otherco-cards/email')).statusCode).toBe(403);
    const across = await admin.submit(
      `/partner/sites/${SITE_ID}/email`,
      '/partner/sites/otherco-cards/email/keys',
      [],
    );
    expect(across.statusCode).toBe(403);
    expect(await keysOf('otherco-cards')).toBe(0);
  });
});
