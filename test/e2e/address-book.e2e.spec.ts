import { AccountClient } from '../support/account-client.js';
import { withServedForm } from '../support/compose-form.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'a long enough passphrase';

/** The address book through HTTP, as a browser without JavaScript uses it. */
describe('member address book', () => {
  let t: TestApp;
  let ip = 0;
  let card: string;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', MEMBER_SENDS_PER_DAY: '2' });
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(async () => {
    await t.close();
  });

  async function member(label: string): Promise<{ person: AccountClient; email: string }> {
    const person = new AccountClient(t, HOSTS.flagship, `203.0.113.${++ip}`);
    const email = uniqueEmail(label);
    await person.submit('/account/sign-up', '/account/sign-up', [
      ['displayName', `Member ${label}`],
      ['email', email],
      ['password', PASSWORD],
    ]);
    const res = await person.submit('/account/sign-in', '/account/sign-in', [
      ['email', email],
      ['password', PASSWORD],
      ['action', 'password'],
    ]);
    expect(res.statusCode).toBe(303);
    return { person, email };
  }

  const contactFields = (name: string, email: string, birthday = ''): [string, string][] => [
    ['name', name],
    ['email', email],
    ['dateId', ''],
    ['dateLabel', 'Birthday'],
    ['dateValue', birthday],
    ['dateId', ''],
    ['dateLabel', 'Anniversary'],
    ['dateValue', ''],
    ['dateId', ''],
    ['dateLabel', 'Name day'],
    ['dateValue', '06-24'],
  ];

  async function importFile(person: AccountClient, name: string, content: string) {
    const page = await person.get('/account/contacts/import');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const boundary = '----ecardtestboundary';
    const part = (field: string, value: string, file?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"${file ? `; filename="${file}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${value}\r\n`;
    const payload = `${part('_csrf', csrf)}${part('file', content, name)}${part('text', '')}--${boundary}--\r\n`;
    return t.request({
      method: 'POST',
      url: '/account/contacts/import',
      host: HOSTS.flagship,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        origin: `http://${HOSTS.flagship}:8080`,
        'x-forwarded-for': person.ip,
        cookie: person.cookie,
      },
      payload,
    });
  }

  it('adds, edits and deletes a contact; bad input changes nothing', async () => {
    const { person } = await member('ada');
    expect(
      (await new AccountClient(t, HOSTS.flagship, '203.0.113.250').get('/account/contacts'))
        .statusCode,
    ).toBe(303);
    const empty = await person.get('/account/contacts');
    expect(empty.statusCode).toBe(200);
    expect(empty.headers['cache-control']).toBe('private, no-store');
    expect(empty.body).toContain('No contacts yet');

    const bad = await person.submit('/account/contacts/new', '/account/contacts', [
      ...contactFields('', 'not-an-address', '1990-02-30'),
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Name: enter a name');
    expect(bad.body).toContain('Email address: enter a valid email address');
    expect(bad.body).toContain('Birthday: enter a date like 1990-04-21');
    expect((await person.get('/account/contacts')).body).toContain('No contacts yet');

    const bob = uniqueEmail('bob');
    const added = await person.submit(
      '/account/contacts/new',
      '/account/contacts',
      contactFields('Bob Friend', bob, '1990-04-21'),
    );
    expect(added.statusCode).toBe(303);
    const list = await person.get('/account/contacts');
    expect(list.body).toContain('Bob Friend');
    expect(list.body).toContain('Birthday: 1990-04-21');
    expect(list.body).toContain('Name day: 06-24');
    const again = await person.submit(
      '/account/contacts/new',
      '/account/contacts',
      contactFields('Bob Again', bob.toUpperCase()),
    );
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('in your address book already');

    const id = /href="\/account\/contacts\/([0-9a-f-]{36})"/.exec(list.body)?.[1] ?? '';
    const edit = await person.get(`/account/contacts/${id}`);
    expect(edit.body).toContain('value="1990-04-21"');
    const dateIds = [...edit.body.matchAll(/name="dateId" value="([^"]*)"/g)].map(
      (m) => m[1] ?? '',
    );
    const csrf = /name="_csrf" value="([^"]+)"/.exec(edit.body)?.[1] ?? '';
    const changed = await person.post(`/account/contacts/${id}`, [
      ['_csrf', csrf],
      ['name', 'Robert Friend'],
      ['email', bob],
      ['dateId', dateIds[0] ?? ''],
      ['dateLabel', 'Birthday'],
      ['dateValue', '04-22'],
    ]);
    expect(changed.statusCode).toBe(303);
    const listed = (await person.get('/account/contacts')).body;
    expect(listed).toContain('Robert Friend');
    expect(listed).toContain('Birthday: 04-22');
    expect(listed).not.toContain('Name day');

    // Another member cannot read or change it, nor can a forged post.
    const { person: other } = await member('eve');
    expect((await other.get(`/account/contacts/${id}`)).statusCode).toBe(404);
    expect(
      (await person.post(`/account/contacts/${id}/delete`, [['_csrf', 'forged']])).statusCode,
    ).toBe(403);
    const foreign = await person.post(`/account/contacts/${id}/delete`, [['_csrf', csrf]], {
      origin: 'https://evil.example',
    });
    expect(foreign.statusCode).toBe(403);
    expect((await person.get('/account/contacts')).body).toContain('Robert Friend');

    const deleted = await person.post(`/account/contacts/${id}/delete`, [['_csrf', csrf]]);
    expect(deleted.statusCode).toBe(303);
    expect((await person.get('/account/contacts')).body).toContain('No contacts yet');
  });

  it('imports CSV and vCard files with a report per row, and exports CSV', async () => {
    const { person } = await member('imp');
    const [a, b] = [uniqueEmail('csv-a'), uniqueEmail('csv-b')];
    const csv = [
      'Name,Email,Birthday,Groups',
      `"Lee, Ann",${a},1985-12-01,Family; Book club`,
      `Bad Address,not-an-address,,`,
      `Bad Date,${uniqueEmail('csv-c')},13-45,`,
      `Ann Twice,${a.toUpperCase()},,`,
      `Ben,${b},--03-04,Family`,
    ].join('\r\n');
    const res = await importFile(person, 'contacts.csv', csv);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2 added, 1 already in your address book, 2 not imported.');
    expect(res.body).toMatch(
      /<td>3<\/td><td>Bad Address<\/td>.*Email address: enter a valid email address/,
    );
    expect(res.body).toMatch(/<td>4<\/td><td>Bad Date<\/td>.*Birthday: enter a date/);
    expect(res.body).toMatch(/<td>5<\/td>.*Already in your address book/);

    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Cleo',
      '  Park',
      `EMAIL;TYPE=INTERNET:${uniqueEmail('vc-a')}`,
      'BDAY:19920307',
      'CATEGORIES:Work',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'N:Doe;Dan;;;',
      `EMAIL:${uniqueEmail('vc-b')}`,
      'BDAY:--0911',
      'ANNIVERSARY:20150620',
      'END:VCARD',
    ].join('\r\n');
    const imported = await importFile(person, 'contacts.vcf', vcf);
    expect(imported.body).toContain('Imported from your vCard file');
    expect(imported.body).toContain('2 added, 0 already in your address book, 0 not imported.');

    const list = (await person.get('/account/contacts')).body;
    expect(list).toContain('Lee, Ann');
    expect(list).toContain('Cleo Park');
    expect(list).toContain('Birthday: 09-11');
    expect(list).toContain('Anniversary: 2015-06-20');
    expect(list).toContain('Groups: Book club, Family');

    const exported = await person.get('/account/contacts/export.csv');
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['cache-control']).toBe('private, no-store');
    const lines = exported.body.trim().split('\r\n');
    expect(lines[0]).toBe('name,email,birthday,anniversary,other dates,groups');
    expect(lines).toContain(`"Lee, Ann",${a},1985-12-01,,,Book club; Family`);
    expect(lines).toHaveLength(5);

    // Limits: no header, too many rows, and a file over the size are refused whole.
    const noHeader = await importFile(person, 'x.csv', `${uniqueEmail('x')},X`);
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.body).toContain('The first line must name the columns');
    const many = [
      'name,email',
      ...Array.from({ length: 501 }, (_, i) => `P${i},p${i}@example.com`),
    ];
    const tooMany = await importFile(person, 'many.csv', many.join('\n'));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('import at most 500 at a time');
    expect(
      (await person.get('/account/contacts/export.csv')).body.trim().split('\r\n'),
    ).toHaveLength(5);
  });

  it('fills the compose rows from contacts and groups, for the member only', async () => {
    const { person } = await member('pick');
    const [x, y, z] = [uniqueEmail('pick-x'), uniqueEmail('pick-y'), uniqueEmail('pick-z')];
    const csv = `name,email,groups\nXena,${x},Team\nYuri,${y},Team\nZed,${z},\n`;
    expect((await importFile(person, 'team.csv', csv)).statusCode).toBe(200);

    const form = await person.get(`/cards/${card}/send`);
    expect(form.headers['cache-control']).toBe('private, no-store');
    expect(form.body).toContain('Choose from your address book');
    const group = /name="pickGroup" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const zed =
      new RegExp(`name="pickContact" value="([^"]+)" data-name="Zed"`).exec(form.body)?.[1] ?? '';
    const hidden = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(form.body)?.[1] ?? '';
    const picked = await person.post(`/cards/${card}/send`, [
      ['_csrf', hidden('_csrf')],
      ['idempotencyKey', hidden('idempotencyKey')],
      ['senderName', 'Member pick'],
      ['recipientName', 'Typed Person'],
      ['recipientEmail', 'typed@example.com'],
      ['recipientName', ''],
      ['recipientEmail', ''],
      ['pickGroup', group],
      ['pickContact', zed],
      ['action', 'add-contacts'],
    ]);
    expect(picked.statusCode).toBe(200);
    const emails = [...picked.body.matchAll(/name="recipientEmail" value="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(emails).toEqual(['typed@example.com', x, y, z]);
    expect(picked.body).toContain('value="Member pick"');

    // A reminder's compose link names a contact: the member's form comes with that row.
    const direct = await person.get(`/cards/${card}/send?to=${zed}`);
    expect(
      [...direct.body.matchAll(/name="recipientEmail" value="([^"]*)"/g)].map((m) => m[1]),
    ).toEqual([z]);

    // Someone else's form shows nothing of the book, and a contact id names no one for them.
    const { person: other } = await member('nopick');
    const theirs = await other.get(`/cards/${card}/send?to=${zed}`);
    expect(theirs.body).not.toContain(z);
    expect(theirs.body).not.toContain('Choose from your address book');
    const anonymous = await t.request({
      method: 'GET',
      url: `/cards/${card}/send?to=${zed}`,
      host: HOSTS.flagship,
    });
    expect(anonymous.body).not.toContain(z);
    expect(anonymous.body).not.toContain('address-book');
  });

  it('saves a sent card’s recipients in one click, exports the book and deletes it with the account', async () => {
    const { person, email } = await member('save');
    const [rita, sam] = [uniqueEmail('rita'), uniqueEmail('sam')];
    const fields = await withServedForm(t, HOSTS.flagship, card, [
      ['senderName', 'Member save'],
      ['senderEmail', email],
      ['recipientName', 'Rita'],
      ['recipientEmail', rita],
      ['recipientName', 'Sam'],
      ['recipientEmail', sam],
      ['message', 'Hello'],
      ['timeZone', 'UTC'],
      ['action', 'send'],
    ]);
    const sent = await person.post(`/cards/${card}/send`, fields);
    expect(sent.statusCode).toBe(303);
    const confirmationUrl = sent.headers.location ?? '';

    // From the confirmation page: Rita, and back to the same page.
    const confirmation = await person.get(confirmationUrl);
    expect(confirmation.body).toContain('Save Rita to your address book');
    const token = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
    const fromConfirmation = await person.post('/account/contacts/save', [
      ['_csrf', token(confirmation.body)],
      ['name', 'Rita'],
      ['email', rita],
      ['back', confirmationUrl],
    ]);
    expect(fromConfirmation.statusCode).toBe(303);
    expect(fromConfirmation.headers.location).toBe(confirmationUrl);
    const again = await person.get(confirmationUrl);
    expect(again.body).not.toContain('Save Rita to your address book');
    expect(again.body).toContain('Save Sam to your address book');
    // Someone not signed in gets no save button.
    const anonymous = await t.request({
      method: 'GET',
      url: confirmationUrl,
      host: HOSTS.flagship,
    });
    expect(anonymous.body).not.toContain('Save to address book');

    // From the history: Sam (a "back" that is not a confirmation page is not followed).
    const history = await person.get('/account/history');
    expect(history.body).toContain('Save Sam to your address book');
    const saved = await person.post('/account/contacts/save', [
      ['_csrf', token(history.body)],
      ['name', 'Sam'],
      ['email', sam],
      ['back', 'https://evil.example/'],
    ]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/history#sent');
    const after = await person.get('/account/history');
    expect(after.body).toContain('In your address book');
    expect(after.body).not.toContain('Save to address book');

    const exported = (await person.get('/account/export')).json<{
      addressBook: { contacts: { name: string; email: string }[] };
    }>();
    expect(exported.addressBook.contacts).toEqual([
      expect.objectContaining({ name: 'Rita', email: rita }),
      expect.objectContaining({ name: 'Sam', email: sam }),
    ]);

    const account = await person.get('/account');
    expect(
      (
        await person.post('/account/delete', [
          ['_csrf', token(account.body)],
          ['confirm', 'yes'],
        ])
      ).statusCode,
    ).toBe(200);
    const db = await openTestDb();
    try {
      expect(await db.query('SELECT id FROM contacts WHERE email IN (?)', [[rita, sam]])).toEqual(
        [],
      );
    } finally {
      await db.destroy();
    }
  });

  it("holds a verified member to their own budget, and an unverified one to anyone's", async () => {
    // One card an hour per sender address and per connection for anyone; two a day for a
    // verified member sending as themselves, who is not held to the first two.
    const limited = await startTestApp({
      TRUST_PROXY: 'loopback',
      MEMBER_SENDS_PER_DAY: '2',
      RATE_LIMIT_SENDER_SENDS_PER_HOUR: '1',
      RATE_LIMIT_IP_SENDS_PER_HOUR: '1',
    });
    const db = await openTestDb();
    try {
      const signedUp = async (label: string, verified: boolean) => {
        const person = new AccountClient(limited, HOSTS.flagship, `203.0.113.${++ip}`);
        const email = uniqueEmail(label);
        await person.submit('/account/sign-up', '/account/sign-up', [
          ['displayName', `Member ${label}`],
          ['email', email],
          ['password', PASSWORD],
        ]);
        // As following the emailed link does (accounts.e2e tests the link itself).
        if (verified) {
          await db.query('UPDATE members SET email_verified_at = NOW(3) WHERE email = ?', [email]);
        }
        const res = await person.submit('/account/sign-in', '/account/sign-in', [
          ['email', email],
          ['password', PASSWORD],
          ['action', 'password'],
        ]);
        expect(res.statusCode).toBe(303);
        return { person, email };
      };
      const sendAs = async (person: AccountClient, email: string, n: number) =>
        person.post(
          `/cards/${card}/send`,
          await withServedForm(limited, HOSTS.flagship, card, [
            ['senderName', 'Member budget'],
            ['senderEmail', email],
            ['recipientName', `Friend ${n}`],
            ['recipientEmail', uniqueEmail(`budget-${n}`)],
            ['message', 'Hello'],
            ['timeZone', 'UTC'],
            ['action', 'send'],
          ]),
        );

      // Not verified: the anonymous limits, whoever is signed in.
      const fresh = await signedUp('unverified', false);
      expect((await sendAs(fresh.person, fresh.email, 1)).statusCode).toBe(303);
      const second = await sendAs(fresh.person, fresh.email, 2);
      expect(second.statusCode).toBe(429);
      expect(second.body).not.toContain('Your account has sent');

      // Verified: their own budget instead, and only that.
      const { person, email } = await signedUp('verified', true);
      expect((await sendAs(person, email, 1)).statusCode).toBe(303);
      expect((await sendAs(person, email, 2)).statusCode).toBe(303);
      const third = await sendAs(person, email, 3);
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(86_000);
      expect(third.body).toContain('Your account has sent 2 cards in the last 24 hours');
      const history = await person.get('/account/history');
      expect(history.body).toContain('Friend 2');
      expect(history.body).not.toContain('Friend 3');
      // Sent as another address, the card is anyone's: held to the per-connection limit, which
      // the member's own cards did not spend.
      expect((await sendAs(person, uniqueEmail('someone-else'), 4)).statusCode).toBe(303);
      expect((await sendAs(person, uniqueEmail('someone-else'), 5)).statusCode).toBe(429);
      const verified = await db.query<{ sender_verified: number }[]>(
        'SELECT g.sender_verified FROM greetings g JOIN members m ON m.id = g.member_id WHERE m.email = ? ORDER BY g.created_at',
        [email],
      );
      expect(verified).toEqual([
        { sender_verified: 1 },
        { sender_verified: 1 },
        { sender_verified: 0 },
      ]);
    } finally {
      await db.destroy();
      await limited.close();
    }
  });
});
