import type { DataSource } from 'typeorm';
import { RecipientLifecycle } from '../../src/greetings/recipient-lifecycle.service.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The delivery worker's batch transaction against the real primary: deliveries recorded and
 * claims decided together. The web app has no relay, so accepted recipients stay `scheduled`
 * until a claim catches them up.
 */
describe('recording deliveries and claiming recipients in one transaction', () => {
  let t: TestApp;
  let db: DataSource;
  let lifecycle: RecipientLifecycle;
  let card: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = await openTestDb();
    lifecycle = t.app.get(RecipientLifecycle);
    card = await firstCardSlug(t, HOSTS.flagship);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  /** Sends a greeting through the API; its recipients' ids and emails, in order. */
  async function accept(count: number, extra: Record<string, unknown> = {}) {
    const recipients = Array.from({ length: count }, (_, i) => ({
      name: `Friend ${i}`,
      email: uniqueEmail(`friend${i}`),
    }));
    const res = await t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      payload: {
        cardSlug: card,
        sender: { name: 'Ann', email: uniqueEmail('ann') },
        recipients,
        message: 'Hello',
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    const greetingId = res.json<{ id: string }>().id;
    const rows = await db.query<{ id: string; email: string }[]>(
      'SELECT id, email FROM greeting_recipients WHERE greeting_id = ? ORDER BY position',
      [greetingId],
    );
    return rows;
  }

  const statusOf = async (id: string) =>
    (
      await db.query<{ status: string; delivered_at: Date | null }[]>(
        'SELECT status, delivered_at FROM greeting_recipients WHERE id = ?',
        [id],
      )
    )[0];
  const historyOf = async (id: string) =>
    (
      await db.query<{ from_status: string; to_status: string }[]>(
        'SELECT from_status, to_status FROM greeting_recipient_events WHERE recipient_id = ? ORDER BY id',
        [id],
      )
    ).map((e) => `${e.from_status}->${e.to_status}`);
  const none = (addresses: unknown[]) => Promise.resolve(addresses.map(() => false));

  it('claims each recipient once, keeps suppressed addresses unmailed and says what is missing', async () => {
    const [first, second] = await accept(2);
    if (!first || !second) throw new Error('recipients not written');
    const claims = await lifecycle.recordAndClaim(
      [],
      [first.id, first.id, second.id, 'no-such-recipient'],
      (addresses) => Promise.resolve(addresses.map((a) => a.email === second.email)),
    );
    expect(claims.map((c) => c.outcome)).toEqual(['claimed', 'skip', 'skip', 'skip']);
    expect(claims[1]).toEqual({ outcome: 'skip', status: 'sending' });
    expect(claims[2]).toEqual({ outcome: 'skip', status: 'suppressed' });
    expect(claims[3]).toEqual({ outcome: 'skip', status: 'missing' });
    expect((await statusOf(first.id))?.status).toBe('sending');
    expect((await statusOf(second.id))?.status).toBe('suppressed');
    expect(await historyOf(first.id)).toEqual(['scheduled->queued', 'queued->sending']);
    expect(await historyOf(second.id)).toEqual(['scheduled->queued', 'queued->suppressed']);
  });

  it('records a delivery before a claim of the same recipient, so the claim never resends', async () => {
    const [sent, next] = await accept(2);
    if (!sent || !next) throw new Error('recipients not written');
    await lifecycle.recordAndClaim([], [sent.id], none);

    const claims = await lifecycle.recordAndClaim([sent.id], [sent.id, next.id], none);
    expect(claims).toEqual([
      { outcome: 'skip', status: 'delivered' },
      expect.objectContaining({ outcome: 'claimed' }),
    ]);
    const delivered = await statusOf(sent.id);
    expect(delivered?.status).toBe('delivered');
    expect(delivered?.delivered_at).toBeInstanceOf(Date);
    expect((await statusOf(next.id))?.status).toBe('sending');
    expect(await historyOf(sent.id)).toEqual([
      'scheduled->queued',
      'queued->sending',
      'sending->delivered',
    ]);

    // Recording it again changes nothing: only `sending` rows move.
    await lifecycle.recordAndClaim([sent.id], [], none);
    expect(await historyOf(sent.id)).toHaveLength(3);
  });

  it('hands back a recipient still sending as resumed, and leaves one not yet due alone', async () => {
    const [interrupted] = await accept(1);
    if (!interrupted) throw new Error('recipient not written');
    await lifecycle.recordAndClaim([], [interrupted.id], none);
    const [resumed] = await lifecycle.recordAndClaim([], [interrupted.id], none);
    expect(resumed?.outcome).toBe('resumed');

    const sendAt = new Date(Date.now() + 3_600_000);
    const [later] = await accept(1, { sendAt: sendAt.toISOString(), timeZone: 'UTC' });
    if (!later) throw new Error('recipient not written');
    const [claim] = await lifecycle.recordAndClaim([], [later.id], none);
    expect(claim?.outcome).toBe('not-due');
    expect((await statusOf(later.id))?.status).toBe('scheduled');
    expect(await historyOf(later.id)).toEqual([]);
  });
});
