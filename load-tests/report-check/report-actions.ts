import type { Connection } from 'mysql2/promise';
import { call, inputValue } from '../holiday/http.js';
import { UNSUBSCRIBE_EVENT } from '../../src/greetings/recipient-state.js';
import { deliverReport, deliveryStatusNotification, feedbackReport } from './bounce-messages.js';

/** One email the SMTP sink accepted: where a bounce of it goes and the recipient's pickup link. */
export interface DeliveredMail {
  email: string;
  /** The envelope sender it went out with: its VERP Return-Path on the bounce domain. */
  returnPath: string;
  pickupUrl: string;
  /** The email's `List-Unsubscribe` link, when the sink kept it. */
  unsubscribeUrl?: string;
}

/** How many of each the check makes, each on a recipient of its own. */
export interface ReportActions {
  hard: number;
  soft: number;
  complaints: number;
  opens: number;
  /** One-click unsubscribes (RFC 8058) from the emails' links. */
  unsubscribes: number;
}

interface Target extends DeliveredMail {
  recipientId: string;
}

interface ActionContext {
  webUrl: string;
  siteId: string;
  host: string;
  headers?: Record<string, string>;
  bounceListener: { host: string; port: number };
  mail: DeliveredMail[];
  actions: ReportActions;
  log: (line: string) => void;
}

/** Recipients of the site that the stack delivered and nothing has happened to since. */
async function pickTargets(db: Connection, o: ActionContext, wanted: number): Promise<Target[]> {
  const byEmail = new Map(o.mail.map((m) => [m.email.toLowerCase(), m]));
  const found: Target[] = [];
  const emails = [...byEmail.keys()];
  for (let i = 0; i < emails.length && found.length < wanted; i += 500) {
    const [rows] = await db.query(
      `SELECT r.id, r.email FROM greeting_recipients r JOIN greetings g ON g.id = r.greeting_id
        WHERE g.site_id = ? AND r.status = 'delivered' AND r.opened_at IS NULL AND r.email IN (?)
          AND NOT EXISTS (SELECT 1 FROM bounce_reports b WHERE b.recipient_id = r.id)`,
      [o.siteId, emails.slice(i, i + 500)],
    );
    const list = rows as { id: string; email: string }[];
    // An address with two cards: the sink kept the return path of one, which may not be this one.
    const twice = new Set(
      list.map((r) => r.email.toLowerCase()).filter((e, i, all) => all.indexOf(e) !== i),
    );
    for (const row of list) {
      const mail = byEmail.get(row.email.toLowerCase());
      if (mail && !twice.has(row.email.toLowerCase()) && found.length < wanted) {
        found.push({ ...mail, recipientId: row.id });
      }
    }
  }
  if (found.length < wanted) {
    throw new Error(
      `report check: ${wanted} delivered, unopened recipients of ${o.siteId} needed, ${found.length} found`,
    );
  }
  return found;
}

/**
 * Opens a pickup as the recipient's browser does: the page, then its "opened" form (what its
 * script posts once the card is visible), again while the answer is 202 (delivery not yet
 * on record).
 */
async function openPickup(o: ActionContext, pickupUrl: string): Promise<void> {
  const path = new URL(pickupUrl).pathname;
  const page = await call(o.webUrl, { path, host: o.host, headers: o.headers ?? {} });
  const csrf = page.status === 200 ? inputValue(page.body, '_csrf') : undefined;
  if (!csrf) throw new Error(`report check: pickup page answered ${page.status} without its form`);
  for (let tries = 0; tries < 50; tries++) {
    const res = await call(o.webUrl, {
      method: 'POST',
      path: `${path}/opened`,
      host: o.host,
      headers: {
        ...o.headers,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    if (res.status === 204) return;
    if (res.status !== 202) throw new Error(`report check: open answered ${res.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('report check: the open was never taken');
}

/** A mail provider's one-click unsubscribe (RFC 8058): a POST to the email's link. */
async function unsubscribe(o: ActionContext, url: string): Promise<void> {
  const res = await call(o.webUrl, {
    method: 'POST',
    path: new URL(url).pathname,
    host: o.host,
    headers: { ...o.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  if (res.status !== 200) throw new Error(`report check: unsubscribe answered ${res.status}`);
}

async function settled(db: Connection, sql: string, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const [rows] = await db.query(sql, [ids]);
  return Number((rows as { n: string }[])[0]?.n) === ids.length;
}

/**
 * Hard and soft delivery status notifications (RFC 3464) to the VERP Return-Paths of
 * delivered greetings, one of them twice (a retrying mail system: counted once), feedback
 * reports (ARF, RFC 5965) to the feedback-loop mailbox quoting the original, pickups opened
 * and one-click unsubscribes (one of each twice); then waits until the database has them all.
 */
export async function takeActions(
  o: ActionContext,
  db: Connection,
  timeoutMs: number,
): Promise<void> {
  const { hard, soft, complaints, opens, unsubscribes } = o.actions;
  const targets = await pickTargets(db, o, hard + soft + complaints + opens + unsubscribes);
  const unsubscribed = targets.filter((t) => t.unsubscribeUrl).slice(0, unsubscribes);
  if (unsubscribed.length < unsubscribes) {
    throw new Error('report check: too few emails with an unsubscribe link to unsubscribe from');
  }
  const rest = targets.filter((t) => !unsubscribed.includes(t));
  const take = (n: number) => rest.splice(0, n);
  const [hards, softs, complained, opened] = [
    take(hard),
    take(soft),
    take(complaints),
    take(opens),
  ];
  const original = (t: Target) => ({
    returnPath: t.returnPath,
    to: t.email,
    messageId: `<${t.recipientId}@report-check.example>`,
  });
  for (const [i, t] of hards.entries()) {
    const dsn = deliveryStatusNotification(original(t), { action: 'failed', status: '5.1.1' });
    await deliverReport(o.bounceListener, t.returnPath, dsn);
    if (i === 0) await deliverReport(o.bounceListener, t.returnPath, dsn);
  }
  for (const t of softs) {
    const dsn = deliveryStatusNotification(original(t), {
      action: 'delayed',
      status: '4.2.2',
      diagnostic: '452 4.2.2 mailbox full',
    });
    await deliverReport(o.bounceListener, t.returnPath, dsn);
  }
  for (const t of complained) {
    const domain = t.returnPath.slice(t.returnPath.lastIndexOf('@') + 1);
    await deliverReport(o.bounceListener, `fbl@${domain}`, feedbackReport(original(t)));
  }
  for (const [i, t] of opened.entries()) {
    await openPickup(o, t.pickupUrl);
    if (i === 0) await openPickup(o, t.pickupUrl);
  }
  for (const [i, t] of unsubscribed.entries()) {
    await unsubscribe(o, t.unsubscribeUrl as string);
    if (i === 0) await unsubscribe(o, t.unsubscribeUrl as string);
  }
  o.log(
    `  sent to the bounce listener: ${hards.length} hard DSN (the first twice), ${softs.length} soft DSN, ` +
      `${complained.length} ARF complaints; opened ${opened.length} pickups (the first twice); ` +
      `${unsubscribed.length} one-click unsubscribes (the first twice)`,
  );
  const ids = (ts: Target[]) => ts.map((t) => t.recipientId);
  const deadline = Date.now() + timeoutMs;
  const checks = [
    [
      `SELECT COUNT(*) AS n FROM greeting_recipients WHERE status = 'bounced' AND id IN (?)`,
      ids(hards),
    ],
    [
      `SELECT COUNT(DISTINCT recipient_id) AS n FROM greeting_recipient_events WHERE event = 'soft-bounce' AND recipient_id IN (?)`,
      ids(softs),
    ],
    [
      `SELECT COUNT(*) AS n FROM greeting_recipients WHERE status = 'complained' AND id IN (?)`,
      ids(complained),
    ],
    [
      `SELECT COUNT(*) AS n FROM greeting_recipients WHERE opened_at IS NOT NULL AND id IN (?)`,
      ids(opened),
    ],
    [
      `SELECT COUNT(DISTINCT recipient_id) AS n FROM greeting_recipient_events WHERE event = '${UNSUBSCRIBE_EVENT}' AND recipient_id IN (?)`,
      ids(unsubscribed),
    ],
  ] as const;
  for (const [sql, wanted] of checks) {
    while (!(await settled(db, sql, [...wanted]))) {
      if (Date.now() > deadline)
        throw new Error('report check: the listener did not record every report');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
