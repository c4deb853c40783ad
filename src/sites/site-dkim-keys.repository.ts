import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { NewSiteDkimKey, SealedDkimKey, SiteDkimKeyRow } from './site-dkim-key.js';

const LISTED = `id, site_id AS siteId, domain, selector, public_key AS publicKey,
  created_at AS createdAt, activated_at AS activatedAt, retired_at AS retiredAt`;
const SEALED = `id, site_id AS siteId, domain, selector, private_key_sealed AS privateKeySealed`;
const ACTIVE = 'activated_at IS NOT NULL AND retired_at IS NULL';

/** site_dkim_keys, always on the primary: a key just made or activated is read back at once. */
@Injectable()
export class SiteDkimKeysRepository {
  constructor(private readonly db: DatabaseService) {}

  async ofSite(siteId: string): Promise<SiteDkimKeyRow[]> {
    return this.db
      .writer()
      .query<SiteDkimKeyRow[]>(
        `SELECT ${LISTED} FROM site_dkim_keys WHERE site_id = ? ORDER BY created_at DESC, id`,
        [siteId],
      );
  }

  async insert(key: NewSiteDkimKey): Promise<void> {
    await this.db.writer().query(
      `INSERT INTO site_dkim_keys (id, site_id, domain, selector, public_key, private_key_sealed,
         created_at, created_by, activated_at, retired_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      [
        key.id,
        key.siteId,
        key.domain,
        key.selector,
        key.publicKey,
        key.privateKeySealed,
        key.createdAt,
        key.createdBy,
      ],
    );
  }

  /**
   * Makes a never-activated key of the site its one active key, retiring the one it replaces,
   * in one transaction (the row lock on the site's keys keeps two activations from both
   * winning). Null when the site has no such key waiting.
   */
  async activate(
    siteId: string,
    keyId: string,
    at: Date,
  ): Promise<{ activated: SiteDkimKeyRow; retired: SiteDkimKeyRow | null } | null> {
    return this.db.writeTransaction(async (tx) => {
      const rows = await tx.query<SiteDkimKeyRow[]>(
        `SELECT ${LISTED} FROM site_dkim_keys WHERE site_id = ? FOR UPDATE`,
        [siteId],
      );
      const chosen = rows.find((r) => r.id === keyId && r.activatedAt === null);
      if (!chosen) return null;
      const current = rows.find((r) => r.activatedAt !== null && r.retiredAt === null) ?? null;
      if (current) {
        await tx.query('UPDATE site_dkim_keys SET retired_at = ? WHERE id = ?', [at, current.id]);
      }
      await tx.query('UPDATE site_dkim_keys SET activated_at = ? WHERE id = ?', [at, keyId]);
      return {
        activated: { ...chosen, activatedAt: at },
        retired: current ? { ...current, retiredAt: at } : null,
      };
    });
  }

  /** Every site's active key: what a sending process loads at boot. */
  async allActive(): Promise<SealedDkimKey[]> {
    return this.db
      .writer()
      .query<SealedDkimKey[]>(`SELECT ${SEALED} FROM site_dkim_keys WHERE ${ACTIVE}`);
  }

  /** The active key of each named site that has one. */
  async activeOf(siteIds: readonly string[]): Promise<SealedDkimKey[]> {
    if (siteIds.length === 0) return [];
    return this.db
      .writer()
      .query<SealedDkimKey[]>(
        `SELECT ${SEALED} FROM site_dkim_keys WHERE ${ACTIVE} AND site_id IN (?)`,
        [siteIds],
      );
  }

  /** site id -> active key id, for a cheap comparison with what a process holds. */
  async activeIds(): Promise<Map<string, string>> {
    const rows = await this.db
      .writer()
      .query<{ siteId: string; id: string }[]>(
        `SELECT site_id AS siteId, id FROM site_dkim_keys WHERE ${ACTIVE}`,
      );
    return new Map(rows.map((r) => [r.siteId, r.id]));
  }
}
