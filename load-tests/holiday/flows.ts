import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { type Answer, call, inputValue, inputValues } from './http.js';
import type { Kind, Mix } from './model.js';
import type { Recorder } from './recorder.js';
import type { RunTarget } from './runner.js';
import type { SiteCatalog, TrafficPlan } from './traffic.js';

/** A small real photo, as a phone would make after the browser's resize: made once per run. */
export async function samplePhoto(): Promise<Buffer> {
  return sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: 180, g: 90, b: 40 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="320" height="240"><circle cx="160" cy="120" r="80" fill="#2f4a3a"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The fields of a compose form as served: its token, idempotency key and first choices. */
interface ServedForm {
  fields: Record<string, string>;
  contactIds: string[];
}

function servedForm(page: Answer): ServedForm | null {
  const csrf = inputValue(page.body, '_csrf');
  const key = inputValue(page.body, 'idempotencyKey');
  if (page.status !== 200 || !csrf || !key) return null;
  return {
    fields: {
      _csrf: csrf,
      idempotencyKey: key,
      font: inputValue(page.body, 'font') ?? '',
      ink: inputValue(page.body, 'ink') ?? '',
      website: '',
    },
    contactIds: inputValues(page.body, 'pickContact'),
  };
}

/** Multipart body of the compose form with the photo as a file part, as a browser posts it. */
function multipart(fields: [string, string][], photo: Buffer): { type: string; body: Buffer } {
  const boundary = `----holidayload${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = fields.map(([name, value]) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    ),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="me.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/**
 * Visitors whose requests depend on the one before: the compose form fetched, then previewed,
 * sent with a photo, or (a member) filled from the address book and sent. Each request is
 * booked to its kind with its latency; a flow stops at its first failed step.
 */
export class FlowRunner {
  private sequence = 0;
  inFlight = 0;
  /** Flows due but not started: as many as `maxInFlight` were still running at the step's end. */
  skipped = 0;
  /** Member sends not made because every member had spent their daily budget. */
  overBudget = 0;

  constructor(
    private readonly target: RunTarget,
    private readonly plan: TrafficPlan,
    private readonly recorder: Recorder,
    private readonly photo: Buffer,
    private readonly memberBudget: number,
    readonly maxInFlight = 48,
  ) {}

  /**
   * Starts flows of `mix` for `seconds`, `perPage` of them for each page request autocannon has
   * had answered so far in the step, then waits for the last ones. Paced by what the stack
   * answered rather than by the nominal rate, flows keep their share of the mix when the stack
   * is behind the rate (paced by the clock, 48 flows in flight would take the place of most of
   * the page views on a saturated machine).
   */
  async run(
    seconds: number,
    perPage: number,
    mix: Mix,
    pagesAnswered: () => number,
  ): Promise<void> {
    if (perPage <= 0) return;
    const running = new Set<Promise<void>>();
    const end = performance.now() + seconds * 1000;
    let started = 0;
    while (performance.now() < end) {
      const due = Math.floor(pagesAnswered() * perPage);
      while (started < due && this.inFlight < this.maxInFlight) {
        started += 1;
        const flow = this.one(this.plan.pickKind(mix)).finally(() => running.delete(flow));
        running.add(flow);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    this.skipped += Math.max(0, Math.floor(pagesAnswered() * perPage) - started);
    await Promise.all(running);
  }

  private async one(kind: Kind): Promise<void> {
    this.inFlight += 1;
    try {
      if (kind === 'm-send') await this.memberSend();
      else await this.anonymous(kind);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** One request booked to `kind`; null when it failed without an answer. */
  private async timed(
    kind: Kind,
    host: string,
    path: string,
    options: { method?: string; cookie?: string; type?: string; body?: string | Buffer } = {},
  ): Promise<Answer | null> {
    const headers: Record<string, string> = { 'x-api-key': this.target.apiKey };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.type) {
      headers['content-type'] = options.type;
      headers.origin = `http://${host}`;
      headers['sec-fetch-site'] = 'same-origin';
    }
    const started = performance.now();
    try {
      const answer = await call(this.target.url, {
        method: options.method ?? 'GET',
        path,
        host,
        headers,
        ...(options.body === undefined ? {} : { body: options.body }),
      });
      const cache = answer.headers['x-cache'];
      this.recorder.response(
        kind,
        answer.status,
        performance.now() - started,
        typeof cache === 'string' ? cache : undefined,
      );
      return answer;
    } catch {
      this.recorder.failure(kind, 'connection');
      return null;
    }
  }

  private letter(site: SiteCatalog): [string, string][] {
    const n = ++this.sequence;
    return [
      ['senderName', `Flow Sender ${n}`],
      ['senderEmail', `flow-${this.plan.runId}-${n}@load.example`],
      ['recipientName', `Flow Friend ${n}`],
      ['recipientEmail', `fr-${this.plan.runId}-${n}@load.example`],
      ['message', `Warm wishes from the holiday load run (#${n}) on ${site.id}.`],
      ['sendDate', ''],
      ['sendTime', ''],
    ];
  }

  /** A preview of a filled form, or a card sent with a photo (multipart). */
  private async anonymous(kind: Kind): Promise<void> {
    const site = this.plan.pickSite();
    const path = `/cards/${this.plan.siteCard(site)}/send`;
    const page = await this.timed('compose', site.host, path);
    const form = page ? servedForm(page) : null;
    if (!form) return;
    const letter = this.letter(site);
    const fields: [string, string][] = [...Object.entries(form.fields), ...letter];
    if (kind === 'preview') {
      fields.push(['action', 'preview']);
      const body = new URLSearchParams(fields).toString();
      await this.timed(kind, site.host, path, {
        method: 'POST',
        type: 'application/x-www-form-urlencoded',
        body,
      });
      return;
    }
    fields.push(['action', 'send']);
    const post = multipart(fields, this.photo);
    const sent = await this.timed(kind, site.host, path, {
      method: 'POST',
      type: post.type,
      body: post.body,
    });
    const recipient = letter.find(([name]) => name === 'recipientEmail')?.[1];
    if (sent?.status === 303 && recipient) this.plan.acceptedRecipients.push(recipient);
  }

  /**
   * A member's send from the address book, as without script: the form (filled with the
   * member's name and address), "Add to recipients" with one or two contacts ticked, then
   * "Send card" with the rows the page came back with.
   */
  private async memberSend(): Promise<void> {
    const member = this.plan.visitors?.memberWithBudget(this.memberBudget) ?? null;
    const site = member ? this.plan.visitors?.siteOf(member) : undefined;
    if (!member || !site) {
      this.overBudget += 1;
      return;
    }
    member.sends += 1;
    const path = `/cards/${this.plan.siteCard(site)}/send`;
    const cookie = member.cookie;
    const page = await this.timed('m-compose', site.host, path, { cookie });
    const form = page ? servedForm(page) : null;
    if (!form || form.contactIds.length === 0) return;
    const picked = form.contactIds.slice(0, 1 + Math.floor(Math.random() * 2));
    const base: [string, string][] = [
      ...Object.entries(form.fields),
      ['senderName', inputValue(page?.body ?? '', 'senderName') ?? member.displayName],
      ['senderEmail', inputValue(page?.body ?? '', 'senderEmail') ?? member.email],
      ['message', `Happy holidays from ${member.displayName}!`],
      ['sendDate', ''],
      ['sendTime', ''],
    ];
    const pick = await this.timed('m-pick', site.host, path, {
      method: 'POST',
      cookie,
      type: 'application/x-www-form-urlencoded',
      body: new URLSearchParams([
        ...base,
        ...picked.map((id): [string, string] => ['pickContact', id]),
        ['action', 'add-contacts'],
      ]).toString(),
    });
    if (pick?.status !== 200) return;
    const names = inputValues(pick.body, 'recipientName');
    const emails = inputValues(pick.body, 'recipientEmail');
    const rows: [string, string][] = [];
    emails.forEach((email, i) => {
      if (email === '') return;
      rows.push(['recipientName', names[i] ?? ''], ['recipientEmail', email]);
    });
    await this.timed('m-send', site.host, path, {
      method: 'POST',
      cookie,
      type: 'application/x-www-form-urlencoded',
      body: new URLSearchParams([...base, ...rows, ['action', 'send']]).toString(),
    });
  }
}
