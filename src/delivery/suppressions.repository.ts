import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DatabaseService } from '../platform/database/database.service.js';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

/**
 * The one form of an address the list compares: trimmed and lower-cased. Local parts are
 * case-sensitive in theory, but no mailbox provider treats them so, and a suppression that
 * misses "Ann@" because it was entered as "ann@" would mail someone who opted out.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

export function emailHash(email: string): string {
  return createHash('sha256').update(normaliseEmail(email)).digest('hex');
}

/** One address as a site mails it: suppressions are kept per site. */
export interface SiteAddress {
  siteId: string;
  email: string;
}

/**
 * The suppression list: addresses a site must never mail again: people who unsubscribed from
 * it, mailboxes that hard-bounced its mail, and complaints about it. Each entry holds for the
 * site it came from only, as a partner's list is the partner's. Only a hash of the address is
 * kept, so the list itself leaks no addresses; it is enough to answer "is this one on it?".
 */
@Injectable()
export class SuppressionsRepository {
  constructor(private readonly db: DatabaseService) {}

  async isSuppressed(siteId: string, email: string): Promise<boolean> {
    const rows = await this.db
      .writer()
      .query<unknown[]>('SELECT 1 FROM suppressions WHERE site_id = ? AND email_hash = ?', [
        siteId,
        emailHash(email),
      ]);
    return rows.length > 0;
  }

  /** For each address given, in order, whether its site has it on the list; one query. */
  async suppressedAmong(addresses: readonly SiteAddress[]): Promise<boolean[]> {
    if (addresses.length === 0) return [];
    // Several spellings of one address share a hash.
    const keyOf = (siteId: string, hash: string) => `${siteId}\n${hash}`;
    const pairs = addresses.map((a) => [a.siteId, emailHash(a.email)]);
    const rows = await this.db
      .writer()
      .query<{ site_id: string; email_hash: string }[]>(
        'SELECT site_id, email_hash FROM suppressions WHERE (site_id, email_hash) IN (?)',
        [pairs],
      );
    const listed = new Set(rows.map((r) => keyOf(r.site_id, r.email_hash)));
    return pairs.map(([siteId, hash]) => listed.has(keyOf(siteId as string, hash as string)));
  }

  /** Adds the address for the site; a second suppression of it there keeps the first reason. */
  async add(email: string, reason: SuppressionReason, siteId: string, at = new Date()) {
    await this.db
      .writer()
      .query(
        'INSERT INTO suppressions (site_id, email_hash, reason, created_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE email_hash = email_hash',
        [siteId, emailHash(email), reason, at],
      );
  }
}
