import { uniqueEmail } from '../support/db.js';
import { HOSTS } from '../support/test-app.js';
import { type LogLine, type ObservedApp, startObservedApp } from './support/observed-app.js';

describe('request logs', () => {
  let t: ObservedApp;

  beforeAll(async () => {
    t = await startObservedApp({ APP_VERSION: '9.9.9-logs' });
  });
  afterAll(() => t.close());

  const requestLine = (requestId: string): LogLine | undefined =>
    t.lines().find((l) => l.msg === 'request' && l.requestId === requestId);

  it('writes one JSON line per response with version, stage, process, site and route', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.partner,
      headers: { 'x-request-id': 'trace-abc.123_x' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-abc.123_x');
    const line = requestLine('trace-abc.123_x');
    expect(line).toMatchObject({
      level: 'info',
      version: '9.9.9-logs',
      stage: 'test',
      process: 'web',
      site: 'kindred',
      route: '/api/cards',
      method: 'GET',
      status: 200,
    });
    expect(typeof line?.latencyMs).toBe('number');
  });

  it('replaces an unsafe incoming request id with a generated one', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/health/live',
      host: HOSTS.flagship,
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    const id = String(res.headers['x-request-id']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLine(id)).toMatchObject({ site: '-', route: '/health/live', status: 200 });
  });

  it('logs the route template, not the raw URL, and unmatched for unknown paths', async () => {
    const cards = await t.request({
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.flagship,
    });
    const slug = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    // The compose page is never cached, so it always reaches the router and the log.
    const compose = await t.request({
      method: 'GET',
      url: `/cards/${slug}/send`,
      host: HOSTS.flagship,
    });
    expect(requestLine(String(compose.headers['x-request-id']))?.route).toBe('/cards/:slug/send');
    const missing = await t.request({ method: 'GET', url: '/no/such/page', host: HOSTS.flagship });
    expect(requestLine(String(missing.headers['x-request-id']))).toMatchObject({
      route: 'unmatched',
      status: 404,
    });
  });

  it('keeps page-cache hits out of the info log by default (metrics still count them)', async () => {
    const cards = await t.request({
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.partner,
    });
    const slug = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    const hit = await t.request({ method: 'GET', url: `/cards/${slug}`, host: HOSTS.partner });
    expect(hit.headers['x-cache']).toBe('HIT');
    // Lines are written asynchronously: the next request's line shows the log has caught up.
    const after = await t.request({
      method: 'GET',
      url: '/api/cards?limit=1',
      host: HOSTS.partner,
    });
    const afterId = String(after.headers['x-request-id']);
    for (let i = 0; i < 50 && !requestLine(afterId); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(requestLine(afterId)).toBeDefined();
    expect(requestLine(String(hit.headers['x-request-id']))).toBeUndefined();
  });

  it('never logs a recipient address, a name or the message of a sent greeting', async () => {
    const cards = await t.request({ method: 'GET', url: '/api/cards?limit=1', host: HOSTS.uk });
    const slug = cards.json<{ items: { slug: string }[] }>().items[0]?.slug ?? '';
    const recipient = uniqueEmail('logged-recipient');
    const sender = uniqueEmail('logged-sender');
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.uk,
      payload: {
        cardSlug: slug,
        sender: { name: 'Zebedee Sender', email: sender },
        recipients: [{ name: 'Quentin Recipient', email: recipient }],
        message: 'A very private verse',
      },
    });
    expect(res.statusCode).toBe(201);
    const line = requestLine(String(res.headers['x-request-id']));
    expect(line).toMatchObject({ route: '/api/greetings', method: 'POST', status: 201 });
    const everything = t.output.join('');
    for (const secret of [recipient, sender, 'Quentin Recipient', 'A very private verse']) {
      expect(everything).not.toContain(secret);
    }
  });
});
