import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { freePort } from '../support/free-port.js';
import { send, type TestRequest } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { aGreeting } from '../support/factories.js';

/**
 * Requests per round: a few thousand, each spelling something the server could be tempted to
 * remember (time zones, slugs, paths, query strings, Host ports) in a way no round repeats.
 */
const ROUND_SIZE = 3_000;
const ROUNDS = 5;
const IN_FLIGHT = 16;
/**
 * What the process may grow from the warm-up rounds to the later ones, each size measured after
 * a full collection. The first two rounds warm it up (compiled code, pools, page cache). After
 * that the resident size of a process doing the same work still wanders by ±15 MB from one
 * measurement to the next (the allocator keeps or returns freed pages as it likes), so the test
 * compares the smallest later size with the largest warm-up one: a process that keeps what each
 * round leaves behind is larger after every round, and so larger than both. When every new
 * spelling of a time zone kept an Intl formatter, each round of these requests grew it by about
 * 25 MB.
 */
const ALLOWED_GROWTH_MB = 8;

const ZONES = Intl.supportedValuesOf('timeZone');
const SITES = [HOSTS.flagship, HOSTS.partner, HOSTS.uk];

/** The process's resident size once it has collected its garbage (see collect-on-signal.mjs). */
async function residentMb(web: WebProcess): Promise<number> {
  const collected = (): number => web.output().split('"collected"').length - 1;
  const before = collected();
  web.child.kill('SIGURG');
  const deadline = Date.now() + 10_000;
  while (collected() === before) {
    if (Date.now() > deadline) throw new Error('the web process did not collect its garbage');
    await new Promise((r) => setTimeout(r, 20));
  }
  const status = readFileSync(`/proc/${web.child.pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

function junk(): string {
  return randomBytes(6).toString('hex');
}

/** A real zone with each letter's case flipped at random: a spelling Intl accepts. */
function oddlySpelledZone(n: number): string {
  const zone = ZONES[n % ZONES.length] as string;
  return [...zone].map((c) => (Math.random() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A wall-clock time a month ahead, within the year a send may be scheduled. */
const NEXT_MONTH = `${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T09:00`;

function greeting(card: string, n: number, extra: Record<string, unknown>): object {
  return {
    ...aGreeting(card, {
      sender: { name: 'Ann', email: `ann.${n}@example.com` },
      recipients: [{ name: 'Bob', email: `bob.${n}@example.com` }],
      message: 'Hello',
    }),
    ...extra,
  };
}

/**
 * The n-th request of the attack. Every other one is a send refused for some reason, in a
 * zone spelled as no one spelled it before; the rest are unknown zones, unknown pages, junk
 * paths and query strings, Host ports, and pages served.
 */
function attack(n: number, card: string): TestRequest {
  const host = SITES[n % SITES.length] as string;
  const post = (extra: Record<string, unknown>): TestRequest => ({
    method: 'POST',
    url: '/api/greetings',
    host,
    payload: greeting(card, n, { timeZone: oddlySpelledZone(n), ...extra }),
  });
  switch (n % 10) {
    case 0:
      return post({ sendAt: '2001-01-01T09:00' });
    case 2:
      return post({ cardSlug: `no-such-card-${junk()}` });
    case 4:
      return post({ sendAt: 'next tuesday' });
    case 6:
      return post({ sender: { name: 'Ann', email: `not-an-address-${junk()}` } });
    case 8: // a valid scheduled send every so often
      return post({ sendAt: n % 40 === 8 ? NEXT_MONTH : '2001-01-01T09:00' });
    case 1:
      return post({ sendAt: '2001-01-01T09:00', timeZone: `Nowhere/${junk()}` });
    case 3:
      return { method: 'GET', url: `/cards/${junk()}-${junk()}`, host };
    case 5:
      return { method: 'GET', url: `/${junk()}/${junk()}?q=${junk()}`, host };
    case 7:
      return n % 20 === 7
        ? { method: 'GET', url: `/api/cards?occasion=${junk()}&limit=${(n % 50) + 1}`, host }
        : { method: 'GET', url: `/?${junk()}=${junk()}`, host: `localhost:${1 + (n % 65535)}` };
    default:
      return n % 20 === 9
        ? { method: 'GET', url: `/cards/${card}?utm_source=${junk()}&${junk()}=1`, host }
        : { method: 'GET', url: `/cards/${card}`, host };
  }
}

describe('attack: requests that could grow a web process', () => {
  let web: WebProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    web = startWebProcess(port, { QUEUE_DASHBOARD: 'false', LOG_LEVEL: 'error' }, [
      '--expose-gc',
      '--import',
      './test/support/collect-on-signal.mjs',
    ]);
    const deadline = Date.now() + 40_000;
    for (;;) {
      const up = await send(port, { method: 'GET', url: '/health/live', host: 'localhost' }).then(
        (r) => r.statusCode === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('the web process did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 45_000);

  afterAll(async () => {
    await web.stop();
  });

  it('stays the same size however many odd requests it answers', async () => {
    const cards = await send(port, {
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.flagship,
    });
    const card = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    expect(card).not.toBe('');
    const statuses = new Map<number, number>();
    const sizes: number[] = [await residentMb(web)];
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const end = next + ROUND_SIZE;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < end) {
            const res = await send(port, attack(next++, card));
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          }
        }),
      );
      sizes.push(await residentMb(web));
    }
    const warmedUp = Math.max(...sizes.slice(1, 3));
    // Two rounds apart from the last warm-up size, so a round's leak shows twice over.
    const later = Math.min(...sizes.slice(4));
    const growth = Math.round((later - warmedUp) * 10) / 10;
    console.log(
      `resident memory (MB) at start and after each round of ${ROUND_SIZE} requests: ` +
        `${sizes.join(', ')}; smallest later size less largest warm-up size: ${growth} MB; statuses: ` +
        JSON.stringify(Object.fromEntries(statuses)),
    );
    // The attack reached the code it aims at: refused and accepted sends, missing pages, other
    // spellings of a page sent to its canonical URL, and pages served.
    expect(statuses.get(400)).toBeGreaterThan(ROUND_SIZE * 2);
    expect(statuses.get(201)).toBeGreaterThan(0);
    expect(statuses.get(404)).toBeGreaterThan(ROUND_SIZE / 2);
    expect(statuses.get(301)).toBeGreaterThan(0);
    expect(statuses.get(200)).toBeGreaterThan(ROUND_SIZE / 10);
    expect(statuses.get(500)).toBeUndefined();
    expect(growth).toBeLessThan(ALLOWED_GROWTH_MB);
    // About 40 s on a quiet two-core machine; the margin is for a busy one.
  }, 150_000);
});
