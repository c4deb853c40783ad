import { generateSync } from 'otplib';
import { startDeliveryStack, type DeliveryStack } from '../delivery/support/delivery-stack.js';
import { AccountClient } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { acceptLink, CONSOLE_HOST, consoleLink } from '../support/partner-console.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { HOSTS } from '../support/test-app.js';
import { operatorLink } from '../../src/partners/operator-cli.module.js';
import { PartnerHostnames } from '../../src/partners/partner-hostnames.service.js';

const PASSWORD = 'partner console passphrase';

/**
 * The partner console through HTTP, with a worker mailing invites and resets to a real SMTP
 * server: onboarding, what each role may see and change, the audit, and publishing a site.
 */
describe('partner console', () => {
  let stack: DeliveryStack;
  let ip = 0;
  const nextIp = () => `198.51.100.${++ip}`;

  let dns: TestDnsServer;

  beforeAll(async () => {
    dns = await startDnsServer();
    stack = await startDeliveryStack('partners', {
      TRUST_PROXY: 'loopback',
      ACCOUNT_LOCK_AFTER_FAILURES: '3',
      HOSTNAME_DNS_SERVERS: dns.address,
    });
  });
  afterAll(async () => {
    await stack.stop();
    await dns.close();
  });

  async function operator(): Promise<AccountClient> {
    const link = await operatorLink(stack.web.config, uniqueEmail('operator'));
    return acceptLink(stack.web, new URL(link).pathname + new URL(link).search, PASSWORD, nextIp());
  }

  /** An operator makes a partner and its site; its admin accepts the mailed invite. */
  async function onboard(op: AccountClient, id: string) {
    const adminEmail = uniqueEmail(`${id}-admin`);
    const hostname = `cards.${id}.example`;
    const res = await op.submit('/partner', '/partner/partners', [
      ['partnerId', id],
      ['partnerName', `${id} Ltd`],
      ['siteId', `${id}-cards`],
      ['siteName', `${id} Cards`],
      ['hostname', hostname],
      ['adminEmail', adminEmail],
    ]);
    expect(res.statusCode).toBe(303);
    const admin = await acceptLink(
      stack.web,
      await consoleLink(stack.sink, adminEmail, 'invite'),
      PASSWORD,
      nextIp(),
    );
    return { admin, adminEmail, hostname, siteId: `${id}-cards` };
  }

  const audit = (partnerId: string) =>
    stack.db.query<{ action: string; before_json: string | null; after_json: string | null }[]>(
      'SELECT action, before_json, after_json FROM partner_audit WHERE partner_id = ? ORDER BY id',
      [partnerId],
    );

  it('onboards a partner, edits its site as a draft, publishes it live and restores the first version', async () => {
    const op = await operator();
    const cookie = op.cookie;
    expect(cookie).toMatch(/^ecard_partner=[A-Za-z0-9_-]{43}$/);

    const { admin, hostname, siteId } = await onboard(op, 'acme');
    const home = await stack.web.request({ method: 'GET', url: '/', host: hostname });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('acme Cards');

    const editor = await admin.get(`/partner/sites/${siteId}`);
    expect(editor.statusCode).toBe(200);
    const theme: [string, string][] = [
      ['brandName', 'Acme Greetings'],
      ['tagline', 'Cards from Acme'],
      ['heroTitle', 'Hello from Acme'],
      ['heroText', 'Send an Acme card today.'],
      ['footerCopy', 'Acme Ltd'],
      ['fromName', 'Acme Greetings'],
    ];
    // White text would be unreadable on yellow: refused, with the field named, nothing saved.
    const pale = await admin.submit(`/partner/sites/${siteId}`, `/partner/sites/${siteId}/draft`, [
      ...theme,
      ['themeColor', '#ffff00'],
    ]);
    expect(pale.statusCode).toBe(400);
    expect(pale.body).toContain('Theme colour: white text on it has contrast');
    const saved = await admin.submit(`/partner/sites/${siteId}`, `/partner/sites/${siteId}/draft`, [
      ...theme,
      ['themeColor', '#1f4e79'],
      ['occasions', 'birthday'],
      ['occasions', 'thank-you'],
      ['fonts', 'typewriter'],
      ['fonts', 'handwritten'],
      ['fonts', 'comic-sans'],
    ]);
    expect(saved.statusCode).toBe(303);
    const noHand = await admin.submit(
      `/partner/sites/${siteId}`,
      `/partner/sites/${siteId}/draft`,
      [...theme, ['themeColor', '#1f4e79']],
    );
    expect(noHand.statusCode).toBe(400);
    expect(noHand.body).toContain('Handwriting: choose at least one');

    // A draft is seen in the preview only; visitors still get the live version.
    const preview = await admin.get(`/partner/sites/${siteId}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Hello from Acme');
    expect(preview.headers['cache-control']).toBe('no-store');
    const cardPreview = await admin.get(`/partner/sites/${siteId}/preview/card`);
    expect(cardPreview.statusCode).toBe(200);
    expect(cardPreview.body).toContain('Acme Greetings');
    const pickupPreview = await admin.get(`/partner/sites/${siteId}/preview/pickup`);
    expect(pickupPreview.statusCode).toBe(200);
    expect(pickupPreview.body).toContain('Alex Sample sent you a card');
    expect(pickupPreview.body).toContain('Acme Greetings will never ask you');
    expect(pickupPreview.body).toContain('font-handwritten');
    const still = await stack.web.request({ method: 'GET', url: '/', host: hostname });
    expect(still.body).not.toContain('Hello from Acme');

    const published = await admin.submit(
      `/partner/sites/${siteId}`,
      `/partner/sites/${siteId}/publish`,
      [],
    );
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(`/partner/sites/${siteId}?published=2`);
    const live = await stack.web.request({ method: 'GET', url: '/', host: hostname });
    expect(live.body).toContain('Hello from Acme');
    expect(live.body).toContain('content="#1f4e79"');
    const definition = await stack.db.query<{ definition: string }[]>(
      'SELECT definition FROM sites WHERE id = ?',
      [siteId],
    );
    const stored = JSON.parse(definition[0]?.definition ?? '{}') as {
      messageStyles: { fonts: string[] };
      catalog: { includeOccasions: string[] };
    };
    expect(stored.messageStyles.fonts).toEqual(['handwritten', 'typewriter']);
    expect(stored.catalog.includeOccasions).toEqual(['birthday', 'thank-you']);

    const restored = await admin.submit(
      `/partner/sites/${siteId}`,
      `/partner/sites/${siteId}/restore`,
      [['revision', '1']],
    );
    expect(restored.headers.location).toBe(`/partner/sites/${siteId}?published=3`);
    const back = await stack.web.request({ method: 'GET', url: '/', host: hostname });
    expect(back.body).not.toContain('Hello from Acme');

    const rows = await audit('acme');
    expect(rows.map((r) => r.action)).toEqual([
      'partner.created',
      'site.created',
      'person.invited',
      'person.accepted-invite',
      'site.draft-saved',
      'site.published',
      'site.restored',
    ]);
    const publish = rows.find((r) => r.action === 'site.published');
    expect(
      (JSON.parse(publish?.before_json ?? '{}') as { vars: { brandName: string } }).vars.brandName,
    ).toBe('acme Cards');
    expect(
      (JSON.parse(publish?.after_json ?? '{}') as { definition: { vars: { brandName: string } } })
        .definition.vars.brandName,
    ).toBe('Acme Greetings');
  });

  it('keeps each role to its own: partner admins to their partner, analysts to reports', async () => {
    const op = await operator();
    const a = await onboard(op, 'bravo');
    const b = await onboard(op, 'charlie');

    // Another partner's site, and creating partners, are refused and change nothing.
    expect((await a.admin.get(`/partner/sites/${b.siteId}`)).statusCode).toBe(403);
    const grab = await a.admin.submit('/partner', `/partner/sites/${b.siteId}/publish`, []);
    expect(grab.statusCode).toBe(403);
    const create = await a.admin.submit('/partner', '/partner/partners', [
      ['partnerId', 'delta'],
      ['partnerName', 'Delta'],
      ['siteId', 'delta-cards'],
      ['siteName', 'Delta'],
      ['hostname', 'cards.delta.example'],
      ['adminEmail', uniqueEmail('delta')],
    ]);
    expect(create.statusCode).toBe(403);
    const made = await stack.db.query<unknown[]>("SELECT id FROM partners WHERE id = 'delta'");
    expect(made).toEqual([]);

    const home = await a.admin.get('/partner');
    expect(home.body).toContain(a.siteId);
    expect(home.body).not.toContain(b.siteId);
    expect(home.body).not.toContain('New partner and site');

    // A partner admin invites an analyst to their own partner, never an operator.
    const asOperator = await a.admin.submit('/partner', '/partner/people', [
      ['email', uniqueEmail('sneaky')],
      ['role', 'operator'],
    ]);
    expect(asOperator.statusCode).toBe(400);
    const nowhere = await op.submit('/partner', '/partner/people', [
      ['partnerId', 'no-such-partner'],
      ['email', uniqueEmail('nowhere')],
      ['role', 'analyst'],
    ]);
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.body).toContain('Partner: no such partner');
    const analystEmail = uniqueEmail('analyst');
    const invited = await a.admin.submit('/partner', '/partner/people', [
      ['email', analystEmail],
      ['role', 'analyst'],
    ]);
    expect(invited.statusCode).toBe(303);
    const analyst = await acceptLink(
      stack.web,
      await consoleLink(stack.sink, analystEmail, 'invite'),
      PASSWORD,
      nextIp(),
    );
    expect((await analyst.get(`/partner/sites/${a.siteId}`)).statusCode).toBe(403);
    expect((await analyst.get('/partner/audit')).statusCode).toBe(403);
    const reports = await analyst.get('/partner/reports');
    expect(reports.statusCode).toBe(200);
    expect(reports.body).toContain(`id="report-${a.siteId}"`);
    expect(reports.body).not.toContain(`id="report-${b.siteId}"`);
    const badRange = await analyst.get('/partner/reports?from=2026-02-30');
    expect(badRange.statusCode).toBe(400);
    expect(badRange.body).toContain('is not a date in the calendar');

    // The report API takes the console session: the analyst's download links work for their
    // partner's site and no other; the operator reads every site side by side.
    const csvLink = /href="(\/admin\/api\/reports\/[^"]+\.csv\?[^"]*table=totals)"/.exec(
      reports.body,
    )?.[1];
    expect(csvLink).toContain(`/admin/api/reports/${a.siteId}.csv?`);
    const csv = await analyst.get((csvLink ?? '').replaceAll('&amp;', '&'));
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('metric');
    expect((await analyst.get(`/admin/api/reports/${a.siteId}.json`)).statusCode).toBe(200);
    expect((await analyst.get(`/admin/api/reports/${b.siteId}.json`)).statusCode).toBe(403);
    expect((await analyst.get('/admin/api/reports/all.json')).statusCode).toBe(403);
    expect((await op.get('/admin/api/reports/all.json')).statusCode).toBe(200);
    expect((await op.get(`/admin/api/reports/${b.siteId}.csv`)).statusCode).toBe(200);
    const stranger = new AccountClient(stack.web, CONSOLE_HOST, nextIp());
    expect((await stranger.get(`/admin/api/reports/${a.siteId}.json`)).statusCode).toBe(401);

    // The audit shows each viewer what they may see: the operator everything, an admin theirs.
    const mine = await a.admin.get('/partner/audit');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('bravo');
    expect(mine.body).not.toContain('charlie');
    const everything = await op.get('/partner');
    expect(everything.body).toContain(a.siteId);
    expect(everything.body).toContain(b.siteId);
    expect(everything.body).toContain('Kindred Paper Co.');
    const all = await op.get('/partner/audit');
    expect(all.body).toContain('bravo');
    expect(all.body).toContain('charlie');
  });

  it('refuses other hosts, forged posts, wrong passwords and codes; resets and signs out everywhere', async () => {
    // Only the admin host has a console.
    const partnerHost = new AccountClient(stack.web, HOSTS.partner, nextIp());
    expect((await partnerHost.get('/partner/sign-in')).statusCode).toBe(404);

    const email = uniqueEmail('op-refusals');
    const link = new URL(await operatorLink(stack.web.config, email));
    const first = await acceptLink(stack.web, link.pathname + link.search, PASSWORD, nextIp());
    // The printed link works once.
    expect((await first.get(link.pathname + link.search)).statusCode).toBe(410);

    const stranger = new AccountClient(stack.web, CONSOLE_HOST, nextIp());
    const forged = await stranger.post('/partner/sign-in', [
      ['email', email],
      ['password', PASSWORD],
    ]);
    expect(forged.statusCode).toBe(403);
    const crossSite = await stranger.post(
      '/partner/sign-in',
      [
        ['email', email],
        ['password', PASSWORD],
      ],
      { origin: 'https://evil.example' },
    );
    expect(crossSite.statusCode).toBe(403);
    const noToken = await first.post('/partner/sign-out-everywhere', []);
    expect(noToken.statusCode).toBe(403);
    expect((await first.get('/partner')).statusCode).toBe(200);

    const signIn = (who: AccountClient, password: string, code = '') =>
      who.submit('/partner/sign-in', '/partner/sign-in', [
        ['email', email],
        ['password', password],
        ['code', code],
      ]);
    const wrong = await signIn(stranger, 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('do not match a console account');
    const nobody = await stranger.submit('/partner/sign-in', '/partner/sign-in', [
      ['email', uniqueEmail('nobody')],
      ['password', 'not the password'],
    ]);
    expect(nobody.statusCode).toBe(401);
    await signIn(stranger, 'not the password');
    await signIn(stranger, 'not the password');
    // The account's password is locked for a while, even the right one.
    const locked = await signIn(new AccountClient(stack.web, CONSOLE_HOST, nextIp()), PASSWORD);
    expect(locked.statusCode).toBe(429);

    // A reset by email lifts the lock and ends every session.
    const forgot = await stranger.submit('/partner/forgot-password', '/partner/forgot-password', [
      ['email', email],
    ]);
    expect(forgot.body).toContain('Check your email');
    const reset = await acceptLink(
      stack.web,
      await consoleLink(stack.sink, email, 'reset'),
      `${PASSWORD} again`,
      nextIp(),
    );
    expect((await first.get('/partner')).headers.location).toBe('/partner/sign-in');

    // TOTP: enrolled with a code from the shown secret; sign-in then needs a fresh code.
    const enrol = await reset.get('/partner/totp');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(enrol.body)?.[1] ?? '';
    expect(enrol.body).toContain('otpauth://totp/');
    const badCode = await reset.submit('/partner/totp', '/partner/totp', [
      ['secret', secret],
      ['code', '000000'],
    ]);
    expect(badCode.statusCode).toBe(400);
    const enrolled = await reset.submit('/partner/totp', '/partner/totp', [
      ['secret', secret],
      ['code', generateSync({ secret })],
    ]);
    expect(enrolled.statusCode).toBe(303);
    const second = new AccountClient(stack.web, CONSOLE_HOST, nextIp());
    const needsCode = await signIn(second, `${PASSWORD} again`);
    expect(needsCode.statusCode).toBe(401);
    expect(needsCode.body).toContain('Code: enter the 6 digits');
    const withCode = await signIn(second, `${PASSWORD} again`, generateSync({ secret }));
    expect(withCode.statusCode).toBe(303);
    expect(withCode.headers['set-cookie']?.[0]).toMatch(
      /^ecard_partner=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/,
    );

    // Sign out everywhere ends the other browser's session too.
    const out = await second.submit('/partner', '/partner/sign-out-everywhere', []);
    expect(out.statusCode).toBe(303);
    expect((await reset.get('/partner')).headers.location).toBe('/partner/sign-in');
    expect((await second.get('/partner')).headers.location).toBe('/partner/sign-in');
  });
  it('answers on a new hostname only once it is proved, and never on one another site holds', async () => {
    const op = await operator();
    const { admin, siteId } = await onboard(op, 'echo');
    const editor = `/partner/sites/${siteId}`;
    const ask = (hostname: string) =>
      admin.submit(editor, `${editor}/hostnames`, [['hostname', hostname]]);

    expect((await ask('http://www.echo.example/')).statusCode).toBe(400);
    expect((await ask(HOSTS.partner)).statusCode).toBe(409);
    expect((await ask('cards.echo.example')).statusCode).toBe(409);
    const asked = await ask('www.echo.example');
    expect(asked.statusCode).toBe(303);
    const page = await admin.get(editor);
    const token = /serve <code>([A-Za-z0-9_-]{43})<\/code>/.exec(page.body)?.[1];
    expect(token).toBeDefined();
    expect(page.body).toContain(`http://www.echo.example/.well-known/ecard-verify/${token}`);

    // Asked for is not live: the name is still an unknown host, and nobody else may take it.
    const before = await stack.web.request({ method: 'GET', url: '/', host: 'www.echo.example' });
    expect(before.statusCode).toBe(404);
    const other = await onboard(op, 'foxtrot');
    const stolen = await other.admin.submit(
      `/partner/sites/${other.siteId}`,
      `/partner/sites/${other.siteId}/hostnames`,
      [['hostname', 'www.echo.example']],
    );
    expect(stolen.statusCode).toBe(409);

    // The check fetches the token from the name itself; this one does not resolve.
    const check = await admin.submit(editor, `${editor}/hostnames/verify`, [
      ['hostname', 'www.echo.example'],
    ]);
    expect(check.statusCode).toBe(400);
    expect(check.body).toContain('did not answer');

    // Or the partner publishes the token in DNS: a real name server answers the TXT question.
    expect((await ask('shop.echo.example')).statusCode).toBe(303);
    const listed = (await admin.get(editor)).body;
    const txt =
      /<code>(_ecard-verify\.shop\.echo\.example) TXT "(ecard-verify=[\w-]{43})"<\/code>/.exec(
        listed,
      );
    expect(txt).not.toBeNull();
    const checkShop = () =>
      admin.submit(editor, `${editor}/hostnames/verify`, [['hostname', 'shop.echo.example']]);
    dns.records.set(txt?.[1] ?? '', [['ecard-verify=someone-elses-token']]);
    expect((await checkShop()).statusCode).toBe(400);
    // A long value arrives in 255-byte strings; the record is the strings joined.
    const value = txt?.[2] ?? '';
    dns.records.set(txt?.[1] ?? '', [['v=spf1 -all'], [value.slice(0, 20), value.slice(20)]]);
    expect((await checkShop()).statusCode).toBe(303);
    const shop = await stack.web.request({ method: 'GET', url: '/', host: 'shop.echo.example' });
    expect(shop.statusCode).toBe(200);

    // A draft saved before the name was proved does not take it away when published.
    const draft = await admin.submit(editor, `${editor}/draft`, [
      ['brandName', 'Echo'],
      ['tagline', ''],
      ['heroTitle', 'Echo cards'],
      ['heroText', ''],
      ['footerCopy', ''],
      ['themeColor', '#1f4e79'],
      ['fromName', 'Echo'],
      ['fonts', 'classic'],
    ]);
    expect(draft.statusCode).toBe(303);

    // The test hook stands in for a served token.
    await stack.web.app.get(PartnerHostnames).markVerified('www.echo.example');
    const after = await stack.web.request({ method: 'GET', url: '/', host: 'www.echo.example' });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('echo Cards');
    expect((await admin.submit(editor, `${editor}/publish`, [])).statusCode).toBe(303);
    const published = await stack.web.request({
      method: 'GET',
      url: '/',
      host: 'www.echo.example',
    });
    expect(published.body).toContain('Echo cards');
    expect((await audit('echo')).map((r) => r.action)).toEqual(
      expect.arrayContaining(['hostname.requested', 'hostname.verified']),
    );
  });
});
