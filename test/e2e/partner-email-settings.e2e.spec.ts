import { startDeliveryStack, type DeliveryStack } from '../delivery/support/delivery-stack.js';
import type { ReceivedMail } from '../delivery/support/smtp-sink.js';
import type { AccountClient } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { acceptLink, consoleLink } from '../support/partner-console.js';
import { firstCardSlug } from '../support/test-app.js';
import { operatorLink } from '../../src/partners/operator-cli.module.js';

const PASSWORD = 'partner console passphrase';

/**
 * A site's email settings in the console, through HTTP: the draft's greeting email previewed
 * as the worker would build it, and the bounce domain set as a draft and published.
 */
describe('partner console: the greeting email preview and the bounce domain', () => {
  let stack: DeliveryStack;
  let ip = 0;
  const nextIp = () => `198.51.100.${++ip}`;

  beforeAll(async () => {
    stack = await startDeliveryStack('partner_email', { TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function operator(): Promise<AccountClient> {
    const link = new URL(await operatorLink(stack.web.config, uniqueEmail('operator')));
    return acceptLink(stack.web, link.pathname + link.search, PASSWORD, nextIp());
  }

  /** An operator makes a partner and its site; its admin accepts the mailed invite. */
  async function onboard(op: AccountClient, id: string) {
    const adminEmail = uniqueEmail(`${id}-admin`);
    const res = await op.submit('/partner', '/partner/partners', [
      ['partnerId', id],
      ['partnerName', `${id} Ltd`],
      ['siteId', `${id}-cards`],
      ['siteName', `${id} Cards`],
      ['hostname', `cards.${id}.example`],
      ['adminEmail', adminEmail],
    ]);
    expect(res.statusCode).toBe(303);
    const link = await consoleLink(stack.sink, adminEmail, 'invite');
    const admin = await acceptLink(stack.web, link, PASSWORD, nextIp());
    return { admin, siteId: `${id}-cards`, hostname: `cards.${id}.example` };
  }

  const theme = (brand: string, fromName: string): [string, string][] => [
    ['brandName', brand],
    ['tagline', ''],
    ['heroTitle', ''],
    ['heroText', ''],
    ['footerCopy', ''],
    ['themeColor', '#1f4e79'],
    ['fromName', fromName],
    ['fonts', 'handwritten'],
  ];

  it("previews the draft's greeting email, HTML and text, before it is published", async () => {
    const op = await operator();
    const { admin, siteId, hostname } = await onboard(op, 'papyrus');
    const editor = `/partner/sites/${siteId}`;

    const before = await admin.get(`${editor}/preview/email`);
    expect(before.statusCode).toBe(200);
    expect(before.headers['cache-control']).toBe('no-store');
    expect(before.body).toContain(`papyrus Cards &lt;greetings@${hostname}&gt;`);
    expect(before.body).toContain('Alex Sample sent you an ecard');

    const saved = await admin.submit(
      editor,
      `${editor}/draft`,
      theme('Papyrus Post', 'Papyrus Post Office'),
    );
    expect(saved.statusCode).toBe(303);

    const page = await admin.get(`${editor}/preview/email`);
    expect(page.statusCode).toBe(200);
    // The sending name is the draft's, in the From line as the worker would write it.
    expect(page.body).toContain(`Papyrus Post Office &lt;greetings@${hostname}&gt;`);
    expect(page.body).toMatch(/id="email-preview-return-path">r-[0-9a-f]{24}-0{32}@bounces\./);
    // The plain-text part, rendered by the same templates the worker uses.
    expect(page.body).toContain('from Papyrus Post.');
    expect(page.body).toContain(`Open your card:\nhttp://${hostname}`);
    expect(page.body).toContain(`src="/partner/sites/${siteId}/preview/email/html" sandbox`);

    const html = await admin.get(`${editor}/preview/email/html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('Papyrus Post');
    expect(html.body).toContain('background:#1f4e79');
    expect(html.body).toContain('<strong>Alex Sample</strong>');
    const csp = String(html.headers['content-security-policy']);
    expect(csp).toContain('sandbox');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(html.headers['cache-control']).toBe('no-store');
    // Every other page keeps refusing to be framed.
    const editorPage = await admin.get(editor);
    expect(editorPage.headers['content-security-policy']).toContain("frame-ancestors 'none'");

    // Visitors' emails are still the published ones: nothing is sent from a draft.
    const live = await stack.web.request({ method: 'GET', url: '/', host: hostname });
    expect(live.body).not.toContain('Papyrus Post');

    // Another partner's admin, and anyone signed out, see neither part.
    const other = await onboard(op, 'quill');
    for (const path of [`${editor}/preview/email`, `${editor}/preview/email/html`]) {
      const refused = await other.admin.get(path);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('Papyrus');
      const anonymous = await stack.web.request({ method: 'GET', url: path, host: admin.host });
      expect(anonymous.statusCode).toBe(303);
    }
    // The operator sees every site's.
    expect((await op.get(`${editor}/preview/email/html`)).statusCode).toBe(200);
  });

  it('sets the bounce domain in the draft within the names the site proved, then sends from it once published', async () => {
    const op = await operator();
    const { admin, siteId, hostname } = await onboard(op, 'stylus');
    const page = `/partner/sites/${siteId}/email`;
    const platform = stack.web.config.bounces.domain;
    const set = (who: AccountClient, value: string) =>
      who.submit(page, `${page}/bounce-domain`, [['bounceDomain', value]]);
    const draftOf = async () =>
      (
        await stack.db.query<{ draft: string | null }[]>(
          'SELECT draft FROM partner_sites WHERE site_id = ?',
          [siteId],
        )
      )[0]?.draft ?? null;

    const first = await admin.get(page);
    expect(first.body).toContain(`id="live-bounce-domain">${platform} (the platform`);

    // Refused, each with the field's message on the form again, and nothing saved.
    for (const [value, message] of [
      ['not a domain!', 'Bounce domain: a domain name such as bounces.example.com, or empty'],
      ['bounces.someone-else.example', `Bounce domain: must be a subdomain of ${hostname}`],
      [hostname, `Bounce domain: use a name of its own below it, such as bounces.${hostname}`],
      [`stylus.${platform}`, 'Bounce domain: must be a subdomain of'],
      [platform, 'Bounce domain: leave it empty'],
    ]) {
      const refused = await set(admin, value ?? '');
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(message);
      expect(refused.body).toContain('id="f-bounceDomain-error"');
      expect(refused.body).toContain(`value="${value}"`);
    }
    expect(await draftOf()).toBeNull();

    // An operator may put a site under the platform's own bounce domain; the partner may not.
    expect((await set(op, `stylus.${platform}`)).statusCode).toBe(303);
    const mine = `bounces.${hostname}`;
    const saved = await set(admin, mine);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${page}?bounce=drafted#bounce-domain`);
    expect((await set(admin, mine)).headers.location).toBe(
      `${page}?bounce=unchanged#bounce-domain`,
    );

    const drafted = await admin.get(`${page}?bounce=drafted`);
    expect(drafted.body).toContain(`id="live-bounce-domain">${platform} (the platform`);
    expect(drafted.body).toContain(`id="draft-bounce-domain">${mine}<`);
    // SPF advice for the name the draft will send from: within the From domain, so aligned.
    expect(drafted.body).toContain(`SPF checks the Return-Path domain, <strong>${mine}</strong>`);
    expect(drafted.body).toContain('It sits within your From domain, so SPF aligns for DMARC.');
    // The draft's email already shows it; the live site still sends from the shared one.
    const preview = await admin.get(`/partner/sites/${siteId}/preview/email`);
    expect(preview.body).toMatch(
      new RegExp(
        `id="email-preview-return-path">r-[0-9a-f]{24}-0{32}@${mine.replace(/\./g, '\\.')}<`,
      ),
    );
    const definition = async () =>
      JSON.parse(
        (
          await stack.db.query<{ definition: string }[]>(
            'SELECT definition FROM sites WHERE id = ?',
            [siteId],
          )
        )[0]?.definition ?? '{}',
      ) as { email: { bounceDomain?: string } };
    expect((await definition()).email.bounceDomain).toBeUndefined();

    const rows = await stack.db.query<
      { action: string; before_json: string; after_json: string }[]
    >(
      "SELECT action, before_json, after_json FROM partner_audit WHERE site_id = ? AND action = 'site.bounce-domain-drafted' ORDER BY id",
      [siteId],
    );
    const bounceOf = (json: string | undefined) =>
      (JSON.parse(json ?? '{}') as { email: { bounceDomain?: string } }).email.bounceDomain;
    expect(rows.map((r) => [bounceOf(r.before_json), bounceOf(r.after_json)])).toEqual([
      [undefined, `stylus.${platform}`],
      [`stylus.${platform}`, mine],
    ]);

    const published = await admin.submit(page, `/partner/sites/${siteId}/publish`, []);
    expect(published.statusCode).toBe(303);
    expect((await definition()).email.bounceDomain).toBe(mine);
    const after = await admin.get(page);
    expect(after.body).toContain(`id="live-bounce-domain">${mine}<`);
    expect(after.body).not.toContain('id="draft-bounce-domain"');

    // A greeting sent on the site now goes out with its Return-Path on the site's own domain.
    const recipient = uniqueEmail('stylus-lee');
    const sent = await stack.web.request({
      method: 'POST',
      url: '/api/greetings',
      host: hostname,
      headers: { 'x-api-key': await sendKey(admin, siteId) },
      payload: {
        cardSlug: await firstCardSlug(stack.web, hostname),
        sender: { name: 'Kay Sender', email: uniqueEmail('kay') },
        recipients: [{ name: 'Lee', email: recipient }],
        message: 'Hello from Stylus',
      },
    });
    expect(sent.statusCode).toBe(201);
    const mailTo = (all: ReceivedMail[]) => all.find((m) => m.to.includes(recipient));
    await stack.sink.waitFor((all) => mailTo(all) !== undefined);
    expect(mailTo(stack.sink.received)?.envelopeFrom).toMatch(
      new RegExp(`^r-[0-9a-f]{24}-[0-9a-f]{32}@${mine.replace(/\./g, '\\.')}$`),
    );

    // Emptied: back to the platform's shared domain, again through the draft.
    expect((await set(admin, '')).statusCode).toBe(303);
    expect((await admin.get(page)).body).toContain(
      `id="draft-bounce-domain">${platform} (the platform`,
    );
  });
});

/** A key of the site's that may send, made on its keys page. */
async function sendKey(admin: AccountClient, siteId: string): Promise<string> {
  const keys = `/partner/sites/${siteId}/keys`;
  const made = await admin.submit(keys, keys, [
    ['name', 'bounce check'],
    ['scopes', 'send'],
  ]);
  return /id="key-secret">([^<]+)</.exec(made.body)?.[1] ?? '';
}
