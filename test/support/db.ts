import type { DataSource } from 'typeorm';
import { emailHash } from '../../src/delivery/suppressions.repository.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { testConfig } from './test-app.js';

/** A direct connection to the test primary, for asserting what was (or was not) written. */
export async function openTestDb(url = testConfig().database.primaryUrl): Promise<DataSource> {
  const db = createDataSource({
    url,
    poolSize: 2,
    name: 'assert',
  });
  await db.initialize();
  return db;
}

export async function countRows(
  db: DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<number> {
  const rows = await db.query<{ n: string | number }[]>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Suppressions of one address, on any site: a test counts its own recipient's, since files
 * running beside it suppress addresses of their own.
 */
export function countSuppressions(db: DataSource, email: string): Promise<number> {
  return countRows(db, 'SELECT COUNT(*) AS n FROM suppressions WHERE email_hash = ?', [
    emailHash(email),
  ]);
}

/** Unique per call, so tests can find their own rows and never depend on each other's. */
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
}
