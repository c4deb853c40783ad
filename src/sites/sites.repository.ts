import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isStoreUnavailable } from '../common/store-errors.js';
import { DatabaseService } from '../platform/database/database.service.js';

/** A site as stored: its definition is JSON the caller validates with the site schema. */
export interface StoredSite {
  id: string;
  revision: number;
  definition: string;
}

/** One saved version of a site: who saved it, when, why, and the whole definition. */
export interface SiteVersion {
  siteId: string;
  revision: number;
  definition: string;
  author: string;
  reason: string;
  createdAt: Date;
}

export interface SiteWrite {
  id: string;
  definition: string;
  hostnames: readonly string[];
  author: string;
  reason: string;
  at: Date;
}

interface SiteRow {
  id: string;
  revision: number | string;
  definition: string;
}

interface VersionRow {
  site_id: string;
  revision: number | string;
  definition: string;
  author: string;
  reason: string;
  created_at: Date;
}

/**
 * Sites, their versions and hostnames. Reads that follow a change go to the primary: a process
 * reloading after a broadcast must see the write that caused it, which a replica may not have.
 */
@Injectable()
export class SitesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Every site; from a replica only when the primary cannot answer (boot during an outage). */
  async all(): Promise<StoredSite[]> {
    const sql = 'SELECT id, revision, definition FROM sites ORDER BY id';
    try {
      return (await this.db.writer().query<SiteRow[]>(sql)).map(storedSiteOf);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      return (await this.db.reader().query<SiteRow[]>(sql)).map(storedSiteOf);
    }
  }

  /** The revision of every site: what a resync compares with what the process holds. */
  async revisions(): Promise<Map<string, number>> {
    const rows = await this.db
      .writer()
      .query<{ id: string; revision: number | string }[]>('SELECT id, revision FROM sites');
    return new Map(rows.map((r) => [r.id, Number(r.revision)]));
  }

  async byIds(ids: readonly string[]): Promise<StoredSite[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .writer()
      .query<SiteRow[]>('SELECT id, revision, definition FROM sites WHERE id IN (?)', [ids]);
    return rows.map(storedSiteOf);
  }

  async one(id: string): Promise<StoredSite | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** Sites other than `siteId` that answer to any of the hostnames. */
  async hostnameOwners(siteId: string, hostnames: readonly string[]): Promise<Map<string, string>> {
    if (hostnames.length === 0) return new Map();
    const rows = await this.db
      .writer()
      .query<{ hostname: string; site_id: string }[]>(
        'SELECT hostname, site_id FROM site_hostnames WHERE hostname IN (?) AND site_id <> ?',
        [hostnames, siteId],
      );
    return new Map(rows.map((r) => [r.hostname, r.site_id]));
  }

  /**
   * Saves a new version when the definition differs from the current one, in one transaction
   * with its version row and hostnames (whose key refuses a hostname another site holds).
   * Returns the revision now current and whether this save made it. `expectNew` refuses an
   * existing id.
   */
  async save(
    write: SiteWrite,
    expectNew: boolean,
  ): Promise<{ revision: number; changed: boolean }> {
    return this.db.writeTransaction(async (tx) => {
      const rows = await tx.query<SiteRow[]>(
        'SELECT id, revision, definition FROM sites WHERE id = ? FOR UPDATE',
        [write.id],
      );
      const current = rows[0] ? storedSiteOf(rows[0]) : null;
      if (current && expectNew) throw new SiteExists(write.id);
      if (current?.definition === write.definition) {
        return { revision: current.revision, changed: false };
      }
      const revision = (current?.revision ?? 0) + 1;
      await tx.query(
        `INSERT INTO sites (id, revision, definition, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE revision = VALUES(revision), definition = VALUES(definition),
           updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)`,
        [write.id, revision, write.definition, write.at, write.author],
      );
      await tx.query(
        `INSERT INTO site_versions (site_id, revision, definition, author, reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [write.id, revision, write.definition, write.author, write.reason, write.at],
      );
      await this.replaceHostnames(tx, write.id, write.hostnames);
      return { revision, changed: true };
    });
  }

  /** Newest first. */
  async versions(siteId: string): Promise<SiteVersion[]> {
    const rows = await this.db.writer().query<VersionRow[]>(
      `SELECT site_id, revision, definition, author, reason, created_at FROM site_versions
         WHERE site_id = ? ORDER BY revision DESC`,
      [siteId],
    );
    return rows.map(versionOf);
  }

  async version(siteId: string, revision: number): Promise<SiteVersion | null> {
    const rows = await this.db.writer().query<VersionRow[]>(
      `SELECT site_id, revision, definition, author, reason, created_at FROM site_versions
         WHERE site_id = ? AND revision = ?`,
      [siteId, revision],
    );
    return rows[0] ? versionOf(rows[0]) : null;
  }

  private async replaceHostnames(
    tx: EntityManager,
    siteId: string,
    hostnames: readonly string[],
  ): Promise<void> {
    await tx.query('DELETE FROM site_hostnames WHERE site_id = ?', [siteId]);
    if (hostnames.length === 0) return;
    await tx.query('INSERT INTO site_hostnames (hostname, site_id) VALUES ?', [
      hostnames.map((h) => [h, siteId]),
    ]);
  }
}

/** A create for an id that is already taken. */
export class SiteExists extends Error {
  constructor(readonly siteId: string) {
    super(`site "${siteId}" already exists`);
    this.name = 'SiteExists';
  }
}

function storedSiteOf(row: SiteRow): StoredSite {
  return { id: row.id, revision: Number(row.revision), definition: row.definition };
}

function versionOf(row: VersionRow): SiteVersion {
  return {
    siteId: row.site_id,
    revision: Number(row.revision),
    definition: row.definition,
    author: row.author,
    reason: row.reason,
    createdAt: row.created_at,
  };
}
