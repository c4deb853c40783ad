import type { DataSource } from 'typeorm';
import { ReportTrafficWriter } from '../../src/reports/report-traffic-writer.js';
import { rollUpReports } from '../../src/reports/report-rollup.js';
import type { SiteReport } from '../../src/reports/report-model.js';
import { openPickup } from '../support/browser-forms.js';
import { uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { type DeliveryStack, startDeliveryStack } from '../delivery/support/delivery-stack.js';
import type { ReceivedMail, SmtpSink } from '../delivery/support/smtp-sink.js';

const KINDRED_KEY = 'kindred-report-key-0123456789abcdef';
const MERRY_KEY = 'merry-report-key-0123456789abcdef';
const SENDER_KEY = 'sender-only-key-0123456789abcdef';
const ADMIN = { authorization: 'Bearer development-only-admin-token' };

interface Sent {
  id: string;
  recipients: { email: string; pickupUrl: string }[];
}

type Totals = Record<string, number>;

function totalsOf(report: SiteReport): Totals {
  return Object.fromEntries(report.totals.map((t) => [t.key, t.value]));
}

describe('reports: facts as they happen, rolled up by the worker, read by partners and operators', () => {
  let stack: DeliveryStack;
  let web: TestApp;
  let sink: SmtpSink;
  let db: DataSource;
  let card: string;
  let sent: Sent[] = [];

  const to = (address: string) => (m: ReceivedMail) => m.to.includes(address);

  async function send(recipients: string[]): Promise<Sent> {
    const res = await web.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann Example', email: uniqueEmail('ann') },
        recipients: recipients.map((email, i) => ({ name: `Friend ${i + 1}`, email })),
        message: 'Happy birthday!',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<Sent>();
  }

  async function report(path: string, headers: Record<string, string>) {
    return web.request({ method: 'GET', url: path, host: HOSTS.flagship, headers });
  }

  async function aggregates(): Promise<unknown[]> {
    return db.query(
      `SELECT 'h' AS t, site_id, hour AS period, metric, dimension, dimension_value, value FROM report_hourly
       UNION ALL
       SELECT 'd', site_id, day, metric, dimension, dimension_value, value FROM report_daily
       ORDER BY 1, 2, 3, 4, 5, 6`,
    );
  }

  beforeAll(async () => {
    stack = await startDeliveryStack('reports', {
      API_KEYS: `kindred-bi=${KINDRED_KEY},merry-bi=${MERRY_KEY},sender=${SENDER_KEY}`,
      REPORT_API_KEY_SITES: 'kindred-bi:kindred,merry-bi:merrypost',
      REPORT_ROLLUP_SECONDS: '3600',
    });
    ({ web, sink, db } = stack);
    card = await firstCardSlug(web, HOSTS.partner);
    const addresses = [uniqueEmail('r1'), uniqueEmail('r2'), uniqueEmail('r3'), uniqueEmail('r4')];
    sent = [await send(addresses.slice(0, 3)), await send(addresses.slice(3))];
    await sink.waitFor((all) => addresses.every((a) => all.some(to(a))), 20_000);
    // Delivered is recorded by the worker after the SMTP server accepted the mail.
    for (let until = Date.now() + 10_000; ;) {
      const [row] = await db.query<{ n: string }[]>(
        "SELECT COUNT(*) AS n FROM greeting_recipients WHERE status = 'delivered'",
      );
      if (Number(row?.n) === 4 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const first = sent[0] as Sent;
    const pickup = new URL(first.recipients[0]?.pickupUrl as string).pathname;
    expect(await openPickup(web, HOSTS.partner, pickup)).toBe(204);
    const mail = sink.received.find(to(first.recipients[1]?.email as string)) as ReceivedMail;
    const unsubscribe = new URL(
      /^List-Unsubscribe: <([^>]+)>/m.exec(mail.rawHeaders)?.[1] as string,
    );
    for (let i = 0; i < 2; i++) {
      const res = await web.request({
        method: 'POST',
        url: unsubscribe.pathname,
        host: HOSTS.partner,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode).toBe(200);
    }
    for (let i = 0; i < 3; i++) {
      expect(
        (await web.request({ method: 'GET', url: `/cards/${card}`, host: HOSTS.partner }))
          .statusCode,
      ).toBe(200);
    }
    await web.app.get(ReportTrafficWriter).flush();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('rolls up the same exact totals however often the roll-up runs', async () => {
    await rollUpReports(db.manager);
    const once = await aggregates();
    await rollUpReports(db.manager);
    await rollUpReports(db.manager);
    expect(await aggregates()).toEqual(once);

    const [truth] = await db.query<Record<string, string>[]>(
      `SELECT COUNT(DISTINCT g.id) AS sends, COUNT(*) AS recipients,
              SUM(r.delivered_at IS NOT NULL) AS delivered, SUM(r.opened_at IS NOT NULL) AS opened
         FROM greetings g JOIN greeting_recipients r ON r.greeting_id = g.id WHERE g.site_id = 'kindred'`,
    );
    const res = await report('/admin/api/reports/kindred.json', { 'x-api-key': KINDRED_KEY });
    expect(res.statusCode).toBe(200);
    const totals = totalsOf(res.json<SiteReport>());
    expect(totals).toMatchObject({
      sends: Number(truth?.sends),
      accepted: Number(truth?.recipients),
      delivered: Number(truth?.delivered),
      opened: Number(truth?.opened),
      unsubscribed: 1,
      bounced: 0,
      'page-views': 3,
    });
    expect(totals).toMatchObject({ sends: 2, accepted: 4, delivered: 4, opened: 1 });
    const body = res.json<SiteReport>();
    expect(body.delay.count).toBe(4);
    expect(body.topCards[0]).toMatchObject({
      slug: card,
      sends: 2,
      recipients: 4,
      opened: 1,
      views: 3,
    });
  });

  it('answers CSV for every table, the same figures as the JSON', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await report(
      `/admin/api/reports/kindred.csv?from=${today}&to=${today}&table=daily`,
      {
        'x-api-key': KINDRED_KEY,
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\r\n')).toEqual([
      'day,Sends,Recipients,Delivered,Opened,Bounced,Unsubscribed',
      `${today},2,4,4,1,0,1`,
      '',
    ]);
    for (const table of ['totals', 'cards', 'occasions', 'delay', 'objectives']) {
      const csv = await report(`/admin/api/reports/kindred.csv?table=${table}`, ADMIN);
      expect(csv.statusCode).toBe(200);
      expect(csv.body.split('\r\n').length).toBeGreaterThan(2);
    }
  });

  it('keeps a partner key to its own site and refuses keys without the report scope', async () => {
    const other = await report('/admin/api/reports/kindred.json', { 'x-api-key': MERRY_KEY });
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('"totals"');
    expect(
      (await report('/admin/api/reports/all.json', { 'x-api-key': KINDRED_KEY })).statusCode,
    ).toBe(403);
    const own = await report('/admin/api/reports/merrypost.json', { 'x-api-key': MERRY_KEY });
    expect(own.statusCode).toBe(200);
    expect(totalsOf(own.json<SiteReport>()).sends).toBe(0);
    expect(
      (await report('/admin/api/reports/kindred.json', { 'x-api-key': SENDER_KEY })).statusCode,
    ).toBe(401);
    expect((await report('/admin/api/reports/kindred.json', {})).statusCode).toBe(401);
  });

  it('gives operators every site side by side, and refuses a bad range with field messages', async () => {
    const all = await report('/admin/api/reports/all.json', ADMIN);
    expect(all.statusCode).toBe(200);
    const body = all.json<{
      sites: SiteReport[];
      peaks: { metric: string; hours: { value: number }[] }[];
    }>();
    expect(body.sites.map((s) => s.siteId).sort()).toEqual(['ecardia', 'kindred', 'merrypost']);
    expect(body.peaks.find((p) => p.metric === 'sends')?.hours[0]?.value).toBe(2);
    const bad = await report('/admin/api/reports/kindred.json?from=2026-02-30', ADMIN);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('from');
    const backwards = await report(
      '/admin/api/reports/kindred.csv?from=2026-03-02&to=2026-03-01',
      ADMIN,
    );
    expect(backwards.statusCode).toBe(400);
    expect((await report('/admin/api/reports/kindred.csv?table=nope', ADMIN)).statusCode).toBe(400);
  });
});
