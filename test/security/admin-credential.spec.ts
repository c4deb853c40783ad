import { AdminToken, BASIC_ADMIN_CHALLENGE, presentedToken } from '../../src/http/admin-token.js';
import { adminChallenge } from '../../src/security/admin-gate.hook.js';

const TOKEN = 'a-strong-admin-token-for-the-unit-test-0123456789';
const basic = (userAndPassword: string) =>
  `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;

describe('the admin credential', () => {
  const token = new AdminToken(TOKEN);

  it.each([
    ['Bearer', `Bearer ${TOKEN}`],
    ['Bearer, scheme in another case', `bearer ${TOKEN}`],
    ['Basic with a user name', basic(`alice:${TOKEN}`)],
    ['Basic with no user name', basic(`:${TOKEN}`)],
    ['Basic with another user name', basic(`ops:${TOKEN}`)],
    ['Basic, scheme in another case', basic(`bob:${TOKEN}`).replace('Basic', 'BASIC')],
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
    ['Basic with the token as the user name', basic(`${TOKEN}:`)],
    ['Basic without a colon', basic(TOKEN)],
    ['Basic with a wrong password', basic('alice:nope')],
    ['Basic that is not base64', `Basic ${TOKEN}`],
    ['another scheme', `Digest ${TOKEN}`],
  ])('refuses %s', (_label, header) => {
    expect(token.accepts(header)).toBe(false);
  });

  it('finds the password of a Basic credential, colons and non-ASCII included', () => {
    const password = 'pä:ss wörd';
    expect(presentedToken(basic(`user:${password}`))).toBe(password);
    expect(new AdminToken(password).accepts(basic(`user:${password}`))).toBe(true);
  });

  it('takes only the schemes asked for', () => {
    expect(token.accepts(basic(`ops:${TOKEN}`), ['bearer'])).toBe(false);
    expect(token.accepts(`Bearer ${TOKEN}`, ['bearer'])).toBe(true);
    expect(token.accepts(`Bearer ${TOKEN}`, ['basic'])).toBe(false);
  });

  it('checks a bare form token the same way', () => {
    expect(token.matches(TOKEN)).toBe(true);
    for (const wrong of ['', 'nope', `${TOKEN} `, null, undefined]) {
      expect(token.matches(wrong)).toBe(false);
    }
  });
});

describe("the admin gate's challenge", () => {
  it.each([
    '/admin/flags',
    '/admin/flags?site=kindred',
    '/admin/queues',
    '/admin/queues/api/queues',
    '/admin',
    '/admin/apis',
    '/admin/anything-added-later',
  ])('asks a browser for Basic on the page %s', (url) => {
    expect(adminChallenge(url)).toBe(BASIC_ADMIN_CHALLENGE);
  });

  it.each([
    '/admin/api',
    '/admin/api/flags',
    '/admin/api/flags?site=kindred',
    '/admin/api/cache/purge',
    '/%61dmin/api/flags',
    '/Admin/API/flags',
    '//admin//api/flags',
  ])('keeps Bearer for the API %s', (url) => {
    expect(adminChallenge(url)).toBe('Bearer');
  });

  it('names the realm and charset a browser needs to prompt', () => {
    expect(BASIC_ADMIN_CHALLENGE).toBe('Basic realm="Ecard admin", charset="UTF-8"');
  });
});
