import { type Connection, createConnection } from 'mysql2/promise';
import { testConfig } from './test-app.js';

export interface RowLock {
  release(): Promise<void>;
}

/**
 * A shared lock on the card's row on the run's real replica: its replication thread cannot
 * apply a change to that row, nor anything after it, until the lock is released, as when it
 * works through a long backlog. Nothing on the primary is slowed.
 */
export async function holdCardRowOnReplica(slug: string): Promise<RowLock> {
  const url = new URL(testConfig().database.replicaUrls[0] ?? '');
  const connection: Connection = await createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  });
  await connection.beginTransaction();
  // Reading a column outside the slug index locks the row itself, which the edit changes.
  const [rows] = await connection.query(
    'SELECT id, title FROM cards WHERE slug = ? LOCK IN SHARE MODE',
    [slug],
  );
  if (!Array.isArray(rows) || rows.length !== 1) {
    await connection.end();
    throw new Error(`no card ${slug} on the replica`);
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await connection.rollback();
      await connection.end();
    },
  };
}
