import { parseSendGreeting } from './send-greeting.schema.js';

const limits = { maxRecipients: 3, maxMessageLength: 50 };
const now = new Date('2026-11-23T12:00:00Z');

function valid(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cardSlug: 'balloons-at-dawn',
    sender: { name: 'Ann', email: 'ann@example.com' },
    recipients: [{ name: 'Bob', email: 'bob@example.com' }],
    message: 'Happy birthday!',
    ...overrides,
  };
}

function fieldsOf(input: unknown): string[] {
  const result = parseSendGreeting(input, limits, 'America/New_York', now);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

describe('parseSendGreeting', () => {
  it("keeps the sender's hand and ink when the site offers them, and refuses others", () => {
    const ok = parseSendGreeting(valid({ font: 'typewriter', ink: 'plum' }), limits, 'UTC', now);
    expect(ok).toMatchObject({ ok: true, command: { font: 'typewriter', ink: 'plum' } });
    const plain = parseSendGreeting(valid(), limits, 'UTC', now);
    expect(plain).toMatchObject({ ok: true, command: { font: null, ink: null } });
    expect(fieldsOf(valid({ font: 'wingdings', ink: '#ff0000' }))).toEqual(['font', 'ink']);
    const narrow = { fonts: ['classic'] as const, inks: ['charcoal'] as const };
    const refused = parseSendGreeting(valid({ font: 'modern' }), limits, 'UTC', now, narrow);
    expect(refused).toEqual({
      ok: false,
      errors: [{ field: 'font', message: 'is not one of the fonts offered' }],
    });
  });

  it('accepts a valid request and defaults the zone to the site', () => {
    const result = parseSendGreeting(valid(), limits, 'America/New_York', now);
    expect(result).toEqual({
      ok: true,
      command: expect.objectContaining({
        sendAt: null,
        timeZone: 'America/New_York',
        idempotencyKey: null,
      }),
    });
  });

  it('resolves a local send time in the chosen zone', () => {
    const result = parseSendGreeting(
      valid({ sendAt: '2026-12-25T09:00', timeZone: 'Europe/London' }),
      limits,
      'America/New_York',
      now,
    );
    expect(result.ok && result.command.sendAt?.toISOString()).toBe('2026-12-25T09:00:00.000Z');
  });

  it('normalises names and message text', () => {
    const result = parseSendGreeting(
      valid({ sender: { name: '  Rene\u0301 ', email: ' rene@example.com ' }, message: 'a\r\nb' }),
      limits,
      'UTC',
      now,
    );
    expect(result.ok && result.command.sender).toEqual({ name: 'René', email: 'rene@example.com' });
    expect(result.ok && result.command.message).toBe('a\nb');
  });

  it.each([
    [
      'an invalid sender email',
      valid({ sender: { name: 'Ann', email: 'not-an-email' } }),
      'sender.email',
    ],
    ['no recipients', valid({ recipients: [] }), 'recipients'],
    [
      'too many recipients',
      valid({
        recipients: [1, 2, 3, 4].map((i) => ({ name: `R${i}`, email: `r${i}@example.com` })),
      }),
      'recipients',
    ],
    ['an over-long message', valid({ message: 'x'.repeat(51) }), 'message'],
    ['no message', valid({ message: undefined }), 'message'],
    ['a message of only spaces and line breaks', valid({ message: ' \r\n\t ' }), 'message'],
    [
      'CRLF in a name',
      valid({ sender: { name: 'Ann\r\nBcc: x@evil.test', email: 'ann@example.com' } }),
      'sender.name',
    ],
    [
      'a right-to-left override in a name',
      valid({ recipients: [{ name: 'Bob\u202Egpj.exe', email: 'b@example.com' }] }),
      'recipients.0.name',
    ],
    ['a date in the past', valid({ sendAt: '2026-11-01T09:00' }), 'sendAt'],
    ['a date over a year ahead', valid({ sendAt: '2028-01-01T09:00' }), 'sendAt'],
    ['a malformed date', valid({ sendAt: 'next tuesday' }), 'sendAt'],
    ['an unknown time zone', valid({ timeZone: 'Mars/Olympus_Mons' }), 'timeZone'],
    ['an unknown field', valid({ bcc: 'x@example.com' }), 'body'],
    [
      'a duplicated recipient',
      valid({
        recipients: [
          { name: 'B', email: 'b@example.com' },
          { name: 'C', email: 'B@example.com' },
        ],
      }),
      'recipients.1.email',
    ],
    ['a bad idempotency key', valid({ idempotencyKey: 'short' }), 'idempotencyKey'],
    ['a missing card', valid({ cardSlug: undefined }), 'cardSlug'],
  ])('refuses %s', (_label, input, field) => {
    expect(fieldsOf(input)).toContain(field);
  });

  it('refuses input that is not an object', () => {
    expect(fieldsOf('hello')).toEqual(['body']);
    expect(fieldsOf([valid()])).toEqual(['body']);
  });

  it("holds each request to its own site's limits", () => {
    const four = valid({
      recipients: ['a', 'b', 'c', 'd'].map((n) => ({ name: n, email: `${n}@example.com` })),
    });
    const strict = parseSendGreeting(four, limits, 'UTC', now);
    const roomy = parseSendGreeting(four, { maxRecipients: 10, maxMessageLength: 50 }, 'UTC', now);
    expect(strict.ok).toBe(false);
    expect(roomy.ok).toBe(true);
    // And back: the roomier limits did not leak into the next request under the strict ones.
    expect(parseSendGreeting(four, limits, 'UTC', now).ok).toBe(false);
  });

  it('says several addresses in one field are several, however long the list', () => {
    const sixty = Array.from({ length: 60 }, (_, i) => `friend${i}@example.com`);
    for (const pasted of [
      sixty.join(', '),
      sixty.slice(0, 2).join(' '),
      'a@example.com;b@example.com',
    ]) {
      const result = parseSendGreeting(
        valid({ recipients: [{ name: 'Everyone', email: pasted }] }),
        limits,
        'UTC',
        now,
      );
      expect(result.ok ? [] : result.errors).toEqual([
        { field: 'recipients.0.email', message: 'must be one address, not several' },
      ]);
    }
  });
});
