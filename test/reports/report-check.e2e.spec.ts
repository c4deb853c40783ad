import { aGreeting } from '../support/factories.js';
import {
  compareFigures,
  figuresOfReport,
  type FigureRow,
} from '../../load-tests/report-check/figures.js';
import {
  compareReport,
  type DeliveredMail,
  openDatabase,
  readReport,
  type ReportCheckOptions,
  runReportCheck,
} from '../../load-tests/report-check/report-check.js';
import { deliveryStatusNotification } from '../../load-tests/report-check/bounce-messages.js';
import { pageMismatches } from '../../load-tests/report-check/page-figures.js';
import { createTransport } from 'nodemailer';
import { uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { firstCardSlug, HOSTS } from '../support/test-app.js';
import { type DeliveryStack, startDeliveryStack } from '../delivery/support/delivery-stack.js';

interface Sent {
  id: string;
  recipients: { email: string; pickupUrl: string }[];
}

const failing = (rows: FigureRow[]) => rows.filter((r) => !r.pass).map((r) => r.name);

/**
 * The reports' acceptance check against a real stack: greetings sent now and scheduled,
 * delivered by a real worker to a real SMTP server, then the check's own DSN and ARF messages
 * to the worker's bounce listener, opens through the pickup pages, the worker's roll-up, and
 * the report API compared with the database rows.
 */
describe('report check: the report API against the database rows', () => {
  let stack: DeliveryStack;
  let bouncePort: number;
  let options: ReportCheckOptions;
  const lines: string[] = [];
  const pickups = new Map<string, string>();

  beforeAll(async () => {
    bouncePort = await freePort();
    stack = await startDeliveryStack('report_check', {
      BOUNCE_SMTP_PORT: String(bouncePort),
      REPORT_ROLLUP_SECONDS: '5',
    });
    const { web, sink } = stack;
    const card = await firstCardSlug(web, HOSTS.partner);
    const sendAt = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
    const addresses: string[] = [];
    // One person gets two of the cards and opts out from both emails.
    const twice = uniqueEmail('twice');
    for (let g = 0; g < 4; g++) {
      const recipients = Array.from({ length: 4 }, (_, i) =>
        g < 2 && i === 3 ? twice : uniqueEmail(`rc${g}-${i}`),
      );
      addresses.push(...recipients);
      const res = await web.request({
        method: 'POST',
        url: '/api/greetings',
        host: HOSTS.partner,
        payload: aGreeting(card, {
          sender: { name: 'Ann Example', email: uniqueEmail('ann') },
          recipients: recipients.map((email, i) => ({ name: `Friend ${i}`, email })),
          // Half of them scheduled, so the on-time objective has greetings to measure.
          ...(g % 2 === 0 ? { sendAt: `${sendAt.toISOString().slice(0, 19)}Z` } : {}),
        }),
      });
      expect(res.statusCode).toBe(201);
      for (const r of res.json<Sent>().recipients) pickups.set(r.email, r.pickupUrl);
    }
    await sink.waitFor(
      (all) =>
        addresses.every((a) => all.some((m) => m.to.includes(a))) &&
        all.filter((m) => m.to.includes(twice)).length === 2,
      20_000,
    );
    const links = sink.received
      .filter((m) => m.to.includes(twice))
      .map((m) => /^List-Unsubscribe: <([^>]+)>/m.exec(m.rawHeaders)?.[1] as string);
    // The second click on the same link records nothing more.
    for (const link of [...links, links[0] as string]) {
      const res = await web.request({
        method: 'POST',
        url: new URL(link).pathname,
        host: HOSTS.partner,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode).toBe(200);
    }
    const today = new Date().toISOString().slice(0, 10);
    options = {
      webUrl: `http://127.0.0.1:${web.port}`,
      siteId: 'kindred',
      host: HOSTS.partner,
      adminHost: HOSTS.flagship,
      adminToken: web.config.adminToken,
      databaseUrl: stack.env.DATABASE_URL as string,
      replicaUrls: [stack.env.DATABASE_REPLICA_URLS as string],
      bounceListener: { host: '127.0.0.1', port: bouncePort },
      mail: sink.received.map((m): DeliveredMail => ({
        email: m.to[0] as string,
        returnPath: m.envelopeFrom,
        pickupUrl: pickups.get(m.to[0] as string) ?? '',
        unsubscribeUrl: /^List-Unsubscribe: <([^>]+)>/m.exec(m.rawHeaders)?.[1],
      })),
      actions: { hard: 2, soft: 2, complaints: 2, opens: 3, unsubscribes: 1 },
      range: { from: today, to: today },
      timeoutMs: 15_000,
      log: (line) => lines.push(line),
    };
  }, 40_000);

  afterAll(() => stack?.stop());

  it('passes after real bounces, complaints and opens, every figure equal to the rows', async () => {
    const result = await runReportCheck(options);
    expect(failing(result.rows)).toEqual([]);
    expect(result.csvProblems).toEqual([]);
    expect(result.pageProblems).toEqual([]);
    expect(result.pass).toBe(true);
    const figure = (name: string) => result.rows.find((r) => r.name === name)?.report;
    expect({
      sends: figure('sends'),
      recipients: figure('recipients'),
      delivered: figure('delivered'),
      opened: figure('opened'),
      hard: figure('bounced (hard)'),
      soft: figure('bounced (soft)'),
      complaints: figure('complaints'),
      unsubscribed: figure('unsubscribed'),
      delays: figure('delay count'),
      onTime: figure('delivery on time'),
    }).toEqual({
      sends: 4,
      recipients: 16,
      delivered: 16,
      opened: 3,
      hard: 2,
      soft: 2,
      complaints: 2,
      unsubscribed: 3,
      delays: 16,
      onTime: '100.00% of 8',
    });
    expect(lines.at(-1)).toMatch(/^REPORT CHECK PASS: \d+ figures of kindred/);
  }, 30_000);

  it('fails when the database holds a bounce the report it read does not', async () => {
    const db = await openDatabase(options.databaseUrl);
    try {
      const read = await readReport(options);
      const [rows] = await db.query(
        `SELECT r.id, r.email FROM greeting_recipients r
          WHERE r.status = 'delivered' AND r.opened_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM bounce_reports b WHERE b.recipient_id = r.id) LIMIT 1`,
      );
      const target = (rows as { id: string; email: string }[])[0];
      const mail = options.mail.find((m) => m.email === target?.email) as DeliveredMail;
      const transport = createTransport({ host: '127.0.0.1', port: bouncePort, ignoreTLS: true });
      await transport.sendMail({
        envelope: { from: 'mailer-daemon@mx.receiver.example', to: mail.returnPath },
        raw: deliveryStatusNotification(
          { returnPath: mail.returnPath, to: mail.email, messageId: '<late@report-check.example>' },
          { action: 'failed', status: '5.1.1' },
        ),
      });
      transport.close();
      for (let until = Date.now() + 10_000; Date.now() < until;) {
        const [status] = await db.query('SELECT status FROM greeting_recipients WHERE id = ?', [
          target?.id,
        ]);
        if ((status as { status: string }[])[0]?.status === 'bounced') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const result = await compareReport({ ...options, log: () => undefined }, db, read);
      expect(result.pass).toBe(false);
      expect(failing(result.rows)).toEqual(['bounced (hard)']);
    } finally {
      await db.end();
    }
  });

  it('fails on any one figure off, a percentile as much as a count', async () => {
    const { json, csv, page } = await readReport(options);
    expect(pageMismatches(page, csv)).toEqual([]);
    const opened = page.replace(
      /(<th scope="row">Opened<\/th><td>)(\d+)/,
      (_, head: string, n: string) => `${head}${Number(n) + 1}`,
    );
    expect(pageMismatches(opened, csv)).toEqual([
      expect.stringMatching(/^totals row 4 column 2: page "\d+", CSV "\d+"$/),
    ]);
    const chart = page.replace(/("label":"Bounced","values":\[)(\d+)/, '$19$2');
    expect(pageMismatches(chart, csv)).toEqual([expect.stringMatching(/^chart row 6 column 1/)]);
    const report = figuresOfReport(json);
    expect(failing(compareFigures(report, new Map(report)))).toEqual([]);
    const off = new Map(report);
    off.set('delay p90', 'inf');
    off.set('opened', Number(report.get('opened')) + 1);
    expect(failing(compareFigures(report, off))).toEqual(['opened', 'delay p90']);
    const lost = new Map(report);
    lost.delete('complaints');
    expect(failing(compareFigures(report, lost))).toEqual(['complaints']);
  });
});
