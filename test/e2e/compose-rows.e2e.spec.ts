import type { DataSource } from 'typeorm';
import { type FormFields, postComposeForm } from '../support/compose-form.js';
import { countRows, openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** The compose form as a person without JavaScript uses it: rows, messages, the message field. */
describe('the compose form without JavaScript', () => {
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

  const post = (fields: FormFields) => postComposeForm(t, HOSTS.partner, card, fields);
  const rows = (...people: [string, string][]): FormFields =>
    people.flatMap(([name, email]): FormFields => [
      ['recipientName', name],
      ['recipientEmail', email],
    ]);
  const sentBy = (sender: string) =>
    countRows(db, 'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ?', [sender]);
  const valueOf = (body: string, id: string) =>
    new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(body)?.[1];
  const summaryOf = (body: string) =>
    [
      ...(/<ul class="error-summary-list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '').matchAll(
        /<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g,
      ),
    ].map(([, target, text]) => ({ target, text }));

  it('points Add and Remove at the recipients fieldset, so the answer lands there', async () => {
    const res = await t.request({ method: 'GET', url: `/cards/${card}/send`, host: HOSTS.partner });
    expect(res.body).toContain('<fieldset class="form-section" id="recipients"');
    expect(res.body).toMatch(
      new RegExp(
        `<button type="submit" name="action" value="add-recipient" formaction="/cards/${card}/send#recipients"`,
      ),
    );
    expect(res.body).toMatch(
      /name="action" value="remove-recipient-1" formaction="[^"]+#recipients"/,
    );
    expect(res.body).toMatch(/<script src="\/assets\/base\/js\/compose\.[0-9a-f]{12}\.js" defer>/);
  });

  it('adds a row while the others are still empty, keeping what was typed, with no errors', async () => {
    const res = await post([
      ['senderName', 'Ann'],
      ['senderEmail', ''],
      ...rows(['', ''], ['Cy', 'not-yet'], ['', '']),
      ['message', ''],
      ['action', 'add-recipient'],
    ]);
    expect(res.statusCode).toBe(200);
    expect([...res.body.matchAll(/name="recipientEmail"/g)]).toHaveLength(4);
    // Cy stays in the second row, where they were typed; the new row is empty.
    expect(valueOf(res.body, 'recipients-1-name')).toBe('Cy');
    expect(valueOf(res.body, 'recipients-1-email')).toBe('not-yet');
    expect(valueOf(res.body, 'recipients-3-name')).toBe('');
    expect(res.body).not.toContain('error-summary');
    expect(res.body).not.toContain('aria-invalid');
  });

  it('removes the row asked for and keeps the others in order', async () => {
    const res = await post([
      ['senderName', 'Ann'],
      ...rows(['Bo', 'bo@example.com'], ['Cy', 'cy@example.com'], ['Di', 'di@example.com']),
      ['action', 'remove-recipient-1'],
    ]);
    expect(res.statusCode).toBe(200);
    expect([...res.body.matchAll(/name="recipientEmail"/g)]).toHaveLength(2);
    expect(valueOf(res.body, 'recipients-0-name')).toBe('Bo');
    expect(valueOf(res.body, 'recipients-1-name')).toBe('Di');
    expect(res.body).not.toContain('error-summary');
  });

  it('names the field in every message, links each to its field and marks the field', async () => {
    const sender = uniqueEmail('ann');
    const res = await post([
      ['senderName', 'Ann'],
      ['senderEmail', sender],
      ...rows(['Bo', 'bo@example.com'], ['', ''], ['Cy', 'cy@'], ['Di', 'di.example.com']),
      ['message', 'Hello'],
      ['action', 'send'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toEqual([
      {
        target: 'recipients-2-email',
        text: 'Recipient 3 email: enter a valid email address like name@example.com',
      },
      {
        target: 'recipients-3-email',
        text: 'Recipient 4 email: enter a valid email address like name@example.com',
      },
    ]);
    expect(res.body).toMatch(
      /id="recipients-2-email" name="recipientEmail" value="cy@" autocomplete="off" aria-invalid="true" aria-describedby="recipients-2-email-error"/,
    );
    expect(res.body).toMatch(
      /id="recipients-2-email-error"><span class="visually-hidden">Error:<\/span> Recipient 3 email/,
    );
    expect(await sentBy(sender)).toBe(0);
  });

  it('says so when several addresses are pasted into one field, however many', async () => {
    const sender = uniqueEmail('ann');
    const sixty = Array.from({ length: 60 }, (_, i) => `friend${i}@example.com`).join(', ');
    const res = await post([
      ['senderName', 'Ann'],
      ['senderEmail', sender],
      ...rows(['Everyone', sixty]),
      ['message', 'Hello'],
      ['action', 'send'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toEqual([
      {
        target: 'recipients-0-email',
        text: 'Recipient 1 email: enter one address per recipient; use “Add another recipient” for more',
      },
    ]);
    expect(res.body).not.toContain('too long');
    expect(await sentBy(sender)).toBe(0);
  });

  it.each([
    ['an empty', ''],
    ['a blank', ' \n\t '],
  ])(
    'refuses %s message, as the form says every field is required, writing nothing',
    async (_l, message) => {
      const sender = uniqueEmail('ann');
      const res = await post([
        ['senderName', 'Ann'],
        ['senderEmail', sender],
        ...rows(['Bo', uniqueEmail('bo')]),
        ['message', message],
        ['action', 'send'],
      ]);
      expect(res.statusCode).toBe(400);
      expect(summaryOf(res.body)).toEqual([
        { target: 'message', text: 'Message: write a message to go with your card' },
      ]);
      expect(res.body).toMatch(
        /aria-describedby="message-hint message-error"\s+aria-invalid="true"/,
      );
      expect(await sentBy(sender)).toBe(0);
    },
  );

  it('refuses a send through the API without a message, writing nothing', async () => {
    const sender = uniqueEmail('api');
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.partner,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: sender },
        recipients: [{ name: 'Bo', email: uniqueEmail('bo') }],
        message: '   ',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ field: 'message', message: 'is required' }] });
    expect(await sentBy(sender)).toBe(0);
  });
});
