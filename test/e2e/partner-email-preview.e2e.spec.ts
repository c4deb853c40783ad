import { startDeliveryStack, type DeliveryStack } from '../delivery/support/delivery-stack.js';
import type { AccountClient } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { acceptLink, consoleLink } from '../support/partner-console.js';
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
});
