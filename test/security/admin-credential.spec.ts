import { AdminToken, bearerToken } from '../../src/http/admin-token.js';

const TOKEN = 'a-strong-admin-token-for-the-unit-test-0123456789';
const basic = (userAndPassword: string) =>
  `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;

describe('the admin credential', () => {
  const token = new AdminToken(TOKEN);

  it.each([
    ['Bearer', `Bearer ${TOKEN}`],
    ['Bearer, scheme in another case', `bearer ${TOKEN}`],
    ['Bearer with spaces around', `  Bearer   ${TOKEN}  `],
  ])('accepts %s', (_label, header) => {
    expect(token.accepts(header)).toBe(true);
  });

  it.each([
    ['nothing', undefined],
    ['an empty header', ''],
    ['the bare token', TOKEN],
    ['an empty bearer', 'Bearer '],
    ['a wrong bearer', 'Bearer nope'],
    ['a longer bearer', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    // A Basic login would have the browser resend the master token with every request.
    ['Basic with the token as the password', basic(`alice:${TOKEN}`)],
    ['Basic with the token as the user name', basic(`${TOKEN}:`)],
    ['another scheme', `Digest ${TOKEN}`],
  ])('refuses %s', (_label, header) => {
    expect(token.accepts(header)).toBe(false);
  });

  it('reads the token of a Bearer header only', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(basic(`u:${TOKEN}`))).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
  });

  it('checks a bare form token the same way', () => {
    expect(token.matches(TOKEN)).toBe(true);
    for (const wrong of ['', 'nope', `${TOKEN} `, null, undefined]) {
      expect(token.matches(wrong)).toBe(false);
    }
  });
});
