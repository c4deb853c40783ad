import type { DataSource } from 'typeorm';
import { encodeForm, postComposeForm } from '../support/compose-form.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The sender's manage page, as the link in their email opens it. */
describe('the manage page of a scheduled card', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let cardTitle: string;
  const year = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    t = await startTestApp();
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.uk, 'birthday');
    const listed = await t.request({ method: 'GET', url: `/api/cards?limit=50`, host: HOSTS.uk });
    cardTitle =
      listed.json<{ items: { slug: string; title: string }[] }>().items.find((c) => c.slug === card)
        ?.title ?? '';
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  async function schedule(): Promise<{ id: string; page: string; sender: string }> {
    const sender = uniqueEmail('ann');
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.uk,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: sender },
        recipients: [
          { name: 'Bo', email: uniqueEmail('bo') },
          { name: 'Cy', email: uniqueEmail('cy') },
        ],
        message: 'First words',
        sendAt: `${year}-01-15T09:00`,
        timeZone: 'Europe/London',
      },
    });
    expect(res.statusCode).toBe(201);
    const sent = res.json<{ id: string; manageUrl: string }>();
    const url = new URL(sent.manageUrl);
    return { id: sent.id, page: url.pathname + url.search, sender };
  }

  it('shows the card, each recipient with their state and the time with its zone', async () => {
    const { page } = await schedule();
    const res = await t.request({ method: 'GET', url: page, host: HOSTS.uk });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    // Not "no-referrer": under it a browser posts the page's own form with `Origin: null`.
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.body).toContain('<meta name="referrer" content="same-origin">');
    // The site's own layout and stylesheet, like every other page.
    expect(res.body).toMatch(
      /<link rel="stylesheet" href="\/assets\/merrypost\/theme\.[0-9a-f]{12}\.css">/,
    );
    expect(res.body).toContain(`<p class="compose-card-title">${cardTitle}</p>`);
    expect(res.body).toMatch(/<img class="compose-card-image" src="[^"]+" alt="[^"]+"/);
    expect(res.body).toMatch(
      new RegExp(
        `<strong id="manage-send-at">\\w{3}, 15 Jan ${year}, 09:00 \\(Europe/London, GMT\\)</strong>`,
      ),
    );
    const states = [
      ...res.body.matchAll(
        /recipient-links-name">([^<]+)<[\s\S]*?class="recipient-status recipient-status-(\w+)">([^<]+)</g,
      ),
    ].map(([, name, status, text]) => [name, status, text]);
    expect(states).toEqual([
      ['Bo', 'scheduled', 'Scheduled'],
      ['Cy', 'scheduled', 'Scheduled'],
    ]);
    expect(res.body).toContain('<textarea class="input textarea" id="message" name="message"');
    expect(res.body).toContain('id="manage-save">Save changes</button>');
    expect(res.body).toContain('id="manage-cancel">Cancel this card</button>');
  });

  it('refuses an empty message with a message naming the field, keeping the card as it was', async () => {
    const { id, page } = await schedule();
    const form = await t.request({ method: 'GET', url: page, host: HOSTS.uk });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const res = await t.request({
      method: 'POST',
      url: page,
      host: HOSTS.uk,
      headers: FORM,
      payload: encodeForm([
        ['_csrf', csrf],
        ['message', '  '],
        ['sendDate', `${year}-01-20`],
        ['sendTime', '10:30'],
        ['timeZone', 'Europe/London'],
        ['action', 'save'],
      ]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(
      '<li><a href="#message">Message: write a message to go with your card</a></li>',
    );
    expect(res.body).toMatch(/id="message" name="message"[^>]*aria-invalid="true"/);
    // What was typed stays in the form.
    expect(res.body).toContain(`value="${year}-01-20"`);
    const [row] = await db.query<{ message: string; send_at: Date }[]>(
      'SELECT message, send_at FROM greetings WHERE id = ?',
      [id],
    );
    expect(row?.message).toBe('First words');
    expect(row?.send_at.toISOString()).toBe(`${year}-01-15T09:00:00.000Z`);
  });

  it('shows the scheduled time with its zone on the confirmation page too', async () => {
    const res = await postComposeForm(t, HOSTS.uk, card, [
      ['senderName', 'Ann'],
      ['senderEmail', uniqueEmail('ann')],
      ['recipientName', 'Bo'],
      ['recipientEmail', uniqueEmail('bo')],
      ['message', 'Hello'],
      ['sendDate', `${year}-07-01`],
      ['sendTime', '08:15'],
      ['timeZone', 'Europe/London'],
      ['action', 'send'],
    ]);
    expect(res.statusCode).toBe(303);
    const page = await t.request({
      method: 'GET',
      url: String(res.headers.location),
      host: HOSTS.uk,
    });
    expect(page.body).toMatch(
      new RegExp(`scheduled for \\w{3}, 1 Jul ${year}, 08:15 \\(Europe/London, BST\\)`),
    );
  });
});
