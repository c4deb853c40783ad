import { networkOf } from '../../src/security/caller.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { apiGreeting, startDefendedApp } from './support.js';

describe('attack: one client locking everyone else out of a site', () => {
  let t: TestApp;
  let card: string;
  beforeAll(async () => {
    t = await startDefendedApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_IP_SENDS_PER_HOUR: '2',
      RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: '1000',
      RATE_LIMIT_SENDER_SENDS_PER_HOUR: '1000',
      RATE_LIMIT_SENDER_RECIPIENTS_PER_HOUR: '1000',
      RATE_LIMIT_SITE_SENDS_PER_DAY: '1000',
      RATE_LIMIT_SITE_RECIPIENTS_PER_DAY: '200',
      RATE_LIMIT_CLIENT_SHARE_PERCENT: '5',
    });
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(() => t.close());

  const send = (ip: string, recipients = 1) =>
    t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers: { 'x-forwarded-for': ip },
      payload: apiGreeting(card, undefined, recipients),
    });

  it('names the /48 of an IPv6 client and leaves IPv4 as it is', () => {
    expect(networkOf('2001:db8:1:2::/64')).toBe('2001:db8:1::/48');
    expect(networkOf('203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts the /64s of one /48 together: hopping networks inside it gains nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await send(`2001:db8:48:${(i + 1).toString(16)}::1`)).statusCode);
    }
    // Every /64 is new, so only the /48's own count (four /64s' worth) can refuse.
    expect(statuses.slice(0, 8).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429, 429, 429]);
    // Another /48 is someone else.
    expect((await send('2001:db8:49:1::1')).statusCode).toBe(201);
  });

  it("refuses a client past its share of the site's day, while others keep sending", async () => {
    // 5 % of 200 recipients a day is 10 for one client, whichever /64s of its /48 it uses.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await send(`2001:db8:77:${i + 1}::1`, 4)).statusCode);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    const others = await Promise.all([
      send('198.51.100.1', 4),
      send('198.51.100.2', 4),
      send('2001:db8:99:1::1', 4),
    ]);
    expect(others.map((r) => r.statusCode)).toEqual([201, 201, 201]);
  });
});
