import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseService } from '../platform/database/database.service.js';
import { type FlagKey, isFlagKey } from '../config/flag-registry.js';
import type { FlagOverride } from './flag-snapshot.js';

/** The global scope's site id in the tables (a NULL would not be unique in a primary key). */
const GLOBAL = '';

export interface FlagChange {
  flagKey: FlagKey;
  siteId: string | null;
  /** null removes the override at that scope. */
  value: boolean | null;
  percentage: number | null;
}

export interface FlagAuditEntry {
  id: number;
  flagKey: string;
  siteId: string | null;
  oldValue: string | null;
  newValue: string | null;
  actor: string;
  reason: string;
  at: Date;
}

export interface LevelRecord {
  siteId: string | null;
  level: string;
  updatedAt: Date;
}

interface OverrideRow {
  flag_key: string;
  site_id: string;
  value: number;
  percentage: string | number | null;
}

interface AuditRow {
  id: string | number;
  flag_key: string;
  site_id: string;
  old_value: string | null;
  new_value: string | null;
  actor: string;
  reason: string;
  at: Date;
}

/**
 * Overrides, levels and their audit trail, always on the primary: a process reloading after a
 * broadcast must read the write that caused it, which a lagging replica may not have yet.
 */
@Injectable()
export class FlagsRepository {
  constructor(private readonly db: DatabaseService) {}

  async overrides(namespace: string): Promise<FlagOverride[]> {
    const rows = await this.db
      .writer()
      .query<OverrideRow[]>(
        'SELECT flag_key, site_id, value, percentage FROM feature_flag_overrides WHERE namespace = ?',
        [namespace],
      );
    // A key removed from the code may still have rows: they are ignored, not an error.
    return rows.flatMap((r) =>
      isFlagKey(r.flag_key)
        ? [
            {
              flagKey: r.flag_key,
              siteId: r.site_id === GLOBAL ? null : r.site_id,
              value: Number(r.value) === 1,
              percentage: r.percentage === null ? null : Number(r.percentage),
            },
          ]
        : [],
    );
  }

  /**
   * Applies the changes and writes one audit row per change that changed something, in one
   * transaction: the trail can never disagree with the overrides.
   */
  async apply(
    namespace: string,
    changes: readonly FlagChange[],
    actor: string,
    reason: string,
    level?: { siteId: string | null; name: string },
    at = new Date(),
  ): Promise<number> {
    return this.db.writeTransaction(async (tx) => {
      let changed = 0;
      for (const change of changes) {
        if (await this.applyOne(tx, namespace, change, actor, reason, at)) changed++;
      }
      if (level) {
        await tx.query(
          `INSERT INTO feature_flag_levels (namespace, site_id, level, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?)
           ON DUPLICATE KEY UPDATE level = VALUES(level), updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)`,
          [namespace, level.siteId ?? GLOBAL, level.name, at, actor],
        );
      }
      return changed;
    });
  }

  private async applyOne(
    tx: EntityManager,
    namespace: string,
    change: FlagChange,
    actor: string,
    reason: string,
    at: Date,
  ): Promise<boolean> {
    const site = change.siteId ?? GLOBAL;
    const current = await tx.query<OverrideRow[]>(
      'SELECT flag_key, site_id, value, percentage FROM feature_flag_overrides WHERE namespace = ? AND flag_key = ? AND site_id = ? FOR UPDATE',
      [namespace, change.flagKey, site],
    );
    const before = current[0]
      ? describe(Number(current[0].value) === 1, current[0].percentage)
      : null;
    const after = change.value === null ? null : describe(change.value, change.percentage);
    if (before === after) return false;
    if (change.value === null) {
      await tx.query(
        'DELETE FROM feature_flag_overrides WHERE namespace = ? AND flag_key = ? AND site_id = ?',
        [namespace, change.flagKey, site],
      );
    } else {
      await tx.query(
        `INSERT INTO feature_flag_overrides (namespace, flag_key, site_id, value, percentage, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE value = VALUES(value), percentage = VALUES(percentage),
           updated_at = VALUES(updated_at), updated_by = VALUES(updated_by)`,
        [namespace, change.flagKey, site, change.value ? 1 : 0, change.percentage, at, actor],
      );
    }
    await tx.query(
      `INSERT INTO feature_flag_audit (namespace, flag_key, site_id, old_value, new_value, actor, reason, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [namespace, change.flagKey, site, before, after, actor, reason, at],
    );
    return true;
  }

  /** The latest changes, newest first; for one site, its own changes and the global ones. */
  async audit(namespace: string, siteId: string | null, limit = 50): Promise<FlagAuditEntry[]> {
    const rows = await this.db
      .writer()
      .query<AuditRow[]>(
        siteId === null
          ? 'SELECT * FROM feature_flag_audit WHERE namespace = ? ORDER BY id DESC LIMIT ?'
          : 'SELECT * FROM feature_flag_audit WHERE namespace = ? AND site_id IN (?, ?) ORDER BY id DESC LIMIT ?',
        siteId === null ? [namespace, limit] : [namespace, siteId, GLOBAL, limit],
      );
    return rows.map((r) => ({
      id: Number(r.id),
      flagKey: r.flag_key,
      siteId: r.site_id === GLOBAL ? null : r.site_id,
      oldValue: r.old_value,
      newValue: r.new_value,
      actor: r.actor,
      reason: r.reason,
      at: r.at,
    }));
  }

  async levels(namespace: string): Promise<LevelRecord[]> {
    const rows = await this.db
      .writer()
      .query<{ site_id: string; level: string; updated_at: Date }[]>(
        'SELECT site_id, level, updated_at FROM feature_flag_levels WHERE namespace = ?',
        [namespace],
      );
    return rows.map((r) => ({
      siteId: r.site_id === GLOBAL ? null : r.site_id,
      level: r.level,
      updatedAt: r.updated_at,
    }));
  }
}

/** How a value reads in the audit trail: `true`, `false`, `true@25%`. */
function describe(value: boolean, percentage: string | number | null): string {
  const share = percentage === null ? null : Number(percentage);
  return share === null || share >= 100 ? String(value) : `${String(value)}@${share}%`;
}
