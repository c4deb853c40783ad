import type { DataSource } from 'typeorm';
import {
  encodeForm,
  type FormFields,
  postComposeForm,
  withServedForm,
} from '../support/compose-form.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the compose form and confirmation page', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const served = (fields: FormFields) => withServedForm(t, HOSTS.partner, card, fields);
  const post = (fields: FormFields) => postComposeForm(t, HOSTS.partner, card, fields);

  function filled(sender: string, overrides: Record<string, string> = {}): [string, string][] {
    const fields: [string, string][] = [
      ['senderName', 'Ann Example'],
      ['senderEmail', sender],
      ['recipientName', 'Bob'],
      ['recipientEmail', uniqueEmail('bob')],
      ['recipientName', ''],
      ['recipientEmail', ''],
      ['message', 'Line one\nLine two'],
      ['sendDate', ''],
      ['sendTime', ''],
      ['timeZone', 'America/Chicago'],
      ['action', 'send'],
    ];
    return fields.map(([k, v]) => [k, overrides[k] ?? v]);
  }

  it('renders the form with the site zone offered first and never caches it', async () => {
    const res = await t.request({ method: 'GET', url: `/cards/${card}/send`, host: HOSTS.partner });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.body).toContain('name="recipientEmail"');
    expect(res.body).toMatch(/<option value="America\/Chicago"[^>]*selected/);
    expect(res.body).toMatch(/name="idempotencyKey" value="[A-Za-z0-9_-]{16,}"/);
  });

  it('gives every visitor a form of their own: only the two tokens differ, and both send', async () => {
    const get = () => t.request({ method: 'GET', url: `/cards/${card}/send`, host: HOSTS.partner });
    const [first, second] = [await get(), await get()];
    const tokensOf = (body: string) => [
      /name="_csrf" value="([^"]+)"/.exec(body)?.[1],
      /name="idempotencyKey" value="([^"]+)"/.exec(body)?.[1],
    ];
    const [firstToken, firstKey] = tokensOf(first.body);
    const [secondToken, secondKey] = tokensOf(second.body);
    expect(firstKey).not.toBe(secondKey);
    expect(firstToken).not.toBe(secondToken);
    const blanked = (body: string, tokens: (string | undefined)[]) =>
      tokens.reduce<string>((b, token) => b.replace(token ?? '', 'TOKEN'), body);
    expect(blanked(second.body, [secondToken, secondKey])).toBe(
      blanked(first.body, [firstToken, firstKey]),
    );
    for (const [token, key] of [
      [firstToken, firstKey],
      [secondToken, secondKey],
    ]) {
      const res = await t.request({
        method: 'POST',
        url: `/cards/${card}/send`,
        host: HOSTS.partner,
        headers: FORM,
        payload: encodeForm([
          ['_csrf', token ?? ''],
          ['idempotencyKey', key ?? ''],
          ...filled(uniqueEmail('own-form')),
        ]),
      });
      expect(res.statusCode).toBe(303);
    }
  });

  it('sends a card and redirects to a private confirmation page', async () => {
    const sender = uniqueEmail('ann');
    const res = await post(filled(sender));
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/sent\/[0-9a-f-]{36}\?s=[A-Za-z0-9_-]{22}$/);
    const page = await t.request({ method: 'GET', url: location, host: HOSTS.partner });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.body).toContain('Bob');
    expect(page.body).toMatch(
      /href="http:\/\/cards\.kindredpaper\.example:8080\/p\/[A-Za-z0-9_-]{44}"/,
    );
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(1);

    const forged = await t.request({
      method: 'GET',
      url: location.replace(/s=.{4}/, 's=AAAA'),
      host: HOSTS.partner,
    });
    expect(forged.statusCode).toBe(404);
    const elsewhere = await t.request({ method: 'GET', url: location, host: HOSTS.flagship });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('previews the card and its email, writes nothing, then edits and sends in the chosen hand', async () => {
    const sender = uniqueEmail('ann');
    const greetingsOf = () =>
      countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]);
    const fields = await served(
      filled(sender, { action: 'preview', message: 'Dear Bob,\n<b>plain</b>' }).concat([
        ['font', 'handwritten'],
        ['ink', 'navy'],
        ['verse', 'Roses are red,\nthis card is for you'],
      ]),
    );
    const preview = await post(fields);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['cache-control']).toContain('no-store');
    expect(preview.body).toContain('Preview your card');
    expect(preview.body).toContain('Nothing has been sent yet');
    expect(preview.body).toContain(
      'class="message font-handwritten ink-navy">Dear Bob,\n&lt;b&gt;plain&lt;/b&gt;<',
    );
    expect(preview.body).toMatch(
      /<img class="preview-email-image" src="\/media\/cards\/[a-z0-9-]+\.[0-9a-f]{12}\.png"/,
    );
    expect(preview.body).toContain('Ann Example sent you an ecard');
    expect(preview.body).toContain('pickup-inside">Roses are red,\nthis card is for you<');
    expect(await greetingsOf()).toBe(0);

    // The preview's own form carries everything on: "Edit" gives the form back as typed.
    const hidden = (name: string) =>
      [
        ...preview.body.matchAll(
          new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`, 'g'),
        ),
      ].map((m) => (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    const carried: [string, string][] = [
      '_csrf',
      'idempotencyKey',
      'senderName',
      'senderEmail',
      'message',
      'font',
      'ink',
      'verse',
      'timeZone',
    ].map((name) => [name, hidden(name)[0] ?? '']);
    const recipientNames = hidden('recipientName');
    const recipientEmails = hidden('recipientEmail');
    const rows: [string, string][] = recipientNames.flatMap((name, i) => [
      ['recipientName', name],
      ['recipientEmail', recipientEmails[i] ?? ''],
    ]);
    const edit = await post([...carried, ...rows, ['action', 'edit']]);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Dear Bob,\n&lt;b&gt;plain&lt;/b&gt;</textarea>');
    expect(edit.body).toMatch(/value="handwritten" checked/);
    expect(edit.body).toMatch(/value="navy" checked/);
    expect(edit.body).not.toContain('id="error-summary"');
    expect(await greetingsOf()).toBe(0);

    const sent = await post([...carried, ...rows, ['action', 'send']]);
    expect(sent.statusCode).toBe(303);
    const [row] = await db.query<{ font: string; ink: string; verse: string }[]>(
      `SELECT message_font AS font, message_ink AS ink, inside_text AS verse
       FROM greetings WHERE sender_email = ?`,
      [sender],
    );
    expect(row).toEqual({
      font: 'handwritten',
      ink: 'navy',
      verse: 'Roses are red,\nthis card is for you',
    });
  });

  it("keeps the card's own verse as the card's when the sender leaves it as it was", async () => {
    const form = await t.request({
      method: 'GET',
      url: `/cards/${card}/send`,
      host: HOSTS.partner,
    });
    const verse = /<textarea[^>]*name="verse"[^>]*>([^<]*)<\/textarea>/.exec(form.body)?.[1];
    expect(verse?.length).toBeGreaterThan(10);
    const sender = uniqueEmail('ann');
    const decoded = (verse ?? '')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
    expect((await post(filled(sender).concat([['verse', decoded]]))).statusCode).toBe(303);
    const [row] = await db.query<{ verse: string | null }[]>(
      'SELECT inside_text AS verse FROM greetings WHERE sender_email = ?',
      [sender],
    );
    expect(row).toEqual({ verse: null });
  });

  it('refuses a hand or ink the site does not offer, writing nothing', async () => {
    const sender = uniqueEmail('ann');
    const res = await post(filled(sender).concat([['font', 'comic-papyrus']]));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Handwriting: ');
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('sends once when the same form is submitted twice', async () => {
    const sender = uniqueEmail('ann');
    const fields = await served(filled(sender));
    const [a, b] = await Promise.all([post(fields), post(fields)]);
    expect(a.statusCode).toBe(303);
    expect(b.statusCode).toBe(303);
    expect(a.headers.location).toBe(b.headers.location);
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(1);
  });

  it('re-renders the form with the input and a message per field, writing nothing', async () => {
    const sender = 'not-an-email';
    const res = await post([
      ['senderName', 'Ann <b>Example</b>'],
      ['senderEmail', sender],
      ['recipientName', 'Bob'],
      ['recipientEmail', 'bob@'],
      ['message', 'x'.repeat(2001)],
      ['sendDate', '2020-01-01'],
      ['sendTime', '09:00'],
      ['timeZone', 'America/Chicago'],
      ['action', 'send'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="Ann &lt;b&gt;Example&lt;/b&gt;"');
    expect(res.body).toContain('value="bob@"');
    expect(res.body).toMatch(/id="senderEmail-error"/);
    expect(res.body).toMatch(/id="recipients-0-email-error"/);
    expect(res.body).toMatch(/id="message-error"/);
    expect(res.body).toContain('Date and time: this is in the past');
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('asks for at least one recipient', async () => {
    const sender = uniqueEmail('ann');
    const fields = filled(sender).filter(([k]) => k !== 'recipientName' && k !== 'recipientEmail');
    const res = await post(fields);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Recipients: add at least one recipient');
    expect(
      await countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]),
    ).toBe(0);
  });

  it('adds recipient rows without JavaScript, up to the site limit', async () => {
    let fields: [string, string][] = [
      ['senderName', 'Ann'],
      ['action', 'add-recipient'],
    ];
    let rows = 0;
    for (let i = 0; i < 6; i++) {
      const res = await post(fields);
      expect(res.statusCode).toBe(200);
      rows = [...res.body.matchAll(/name="recipientEmail"/g)].length;
      fields = [
        ...fields.filter(([k]) => k !== 'recipientName' && k !== 'recipientEmail'),
        ...Array.from({ length: rows }, (_, j): [string, string][] => [
          ['recipientName', `R${j}`],
          ['recipientEmail', `r${j}@example.com`],
        ]).flat(),
      ];
    }
    expect(rows).toBe(5);
  });

  it('schedules a card from the form at a local time', async () => {
    const sender = uniqueEmail('ann');
    const year = new Date().getUTCFullYear() + 1;
    const res = await post(filled(sender, { sendDate: `${year}-02-14`, sendTime: '08:30' }));
    expect(res.statusCode).toBe(303);
    const [row] = await db.query<{ send_at: Date; time_zone: string; status: string }[]>(
      'SELECT send_at, time_zone, status FROM greetings WHERE sender_email = ?',
      [sender],
    );
    expect(row?.send_at.toISOString()).toBe(`${year}-02-14T14:30:00.000Z`);
    expect(row?.time_zone).toBe('America/Chicago');
    expect(row?.status).toBe('scheduled');
  });
});
