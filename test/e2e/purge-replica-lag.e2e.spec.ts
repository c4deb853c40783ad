import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { holdCardRowOnReplica } from '../support/replica-lock.js';
import { editCard } from '../support/admin-api.js';
import { until } from '../support/until.js';
import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

const OCCASION = 'thinking-of-you';

/**
 * A card edited while the replica is behind. The replica here is the run's real one, held back
 * by a shared lock on the edited card's row: its replication thread cannot apply the edit until
 * the test lets go, as when it works through a long backlog. Other processes must never rebuild
 * the card's pages from the old row and keep them.
 */
describe('purging an edit while the replica is behind', () => {
  let editor: TestApp;
  let reader: TestApp;
  let hurried: TestApp;
  let slug: string;
  let title: string;

  beforeAll(async () => {
    const version = `test-${randomUUID()}`;
    [editor, reader, hurried] = await Promise.all([
      startTestApp({ APP_VERSION: version, PURGE_REPLICA_WAIT_MS: '20000' }),
      startTestApp({ APP_VERSION: version }),
      startTestApp({ APP_VERSION: version, PURGE_REPLICA_WAIT_MS: '300' }),
    ]);
    const res = await editor.request({
      method: 'GET',
      url: `/api/cards?occasion=${OCCASION}&limit=50`,
      host: HOSTS.flagship,
    });
    const items = res.json<{ items: { slug: string; title: string }[] }>().items;
    const card = items[items.length - 1];
    if (!card) throw new Error(`${OCCASION} lists no card`);
    ({ slug, title } = card);
  });
  afterAll(async () => {
    await Promise.all([editor.close(), reader.close(), hurried.close()]);
  });

  async function page(app: TestApp, url: string): Promise<string> {
    const res = await app.request({ method: 'GET', url, host: HOSTS.flagship });
    expect(res.statusCode).toBe(200);
    return res.body;
  }

  const edit = async (app: TestApp, cardTitle: string): Promise<number> =>
    (await editCard(app, slug, { title: cardTitle })).statusCode;

  it('sends the purge once the replica holds the edit', async () => {
    const mark = Date.now().toString(36);
    const newTitle = `${title} ${mark}`;
    expect(await page(reader, `/cards/${slug}`)).not.toContain(mark);
    const lock = await holdCardRowOnReplica(slug);
    let answered = false;
    try {
      const editing = edit(editor, newTitle).finally(() => {
        answered = true;
      });
      await delay(800);
      // The replica still has the old row, so the purge has not gone out: a request now is
      // served the cached page, and nothing rebuilt from the old row is stored.
      expect(answered).toBe(false);
      expect(await page(reader, `/cards/${slug}`)).not.toContain(mark);
      await lock.release();
      expect(await editing).toBe(200);
      await until(async () => (await page(reader, `/cards/${slug}`)).includes(mark), 'card', 1000);
      await until(
        async () => (await page(reader, `/occasions/${OCCASION}`)).includes(mark),
        'occasion page',
        1000,
      );
    } finally {
      await lock.release();
      expect(await edit(editor, title)).toBe(200);
    }
  });

  it('purges again when a replica catches up after the wait ran out', async () => {
    const mark = Date.now().toString(36);
    const newTitle = `${title} ${mark}`;
    expect(await page(reader, `/cards/${slug}`)).not.toContain(mark);
    const lock = await holdCardRowOnReplica(slug);
    try {
      // The editor does not wait past its 300 ms: the first purge goes out with the replica
      // behind, and the page is rebuilt from the old row.
      expect(await edit(hurried, newTitle)).toBe(200);
      const rebuilt = await page(reader, `/cards/${slug}`);
      expect(rebuilt).not.toContain(mark);
      await lock.release();
      await until(async () => (await page(reader, `/cards/${slug}`)).includes(mark), 'card', 2500);
    } finally {
      await lock.release();
      expect(await edit(editor, title)).toBe(200);
    }
  });
});
