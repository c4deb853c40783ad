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

/**
 * The suppression list: addresses that must never be mailed again, across every site: people who unsubscribed and
 * mailboxes that hard-bounced. Only a hash of the address is kept, so the list itself leaks no
 * addresses; it is enough to answer "is this one on it?".
 */
@Injectable()
export class SuppressionsRepository {
  constructor(private readonly db: DatabaseService) {}

  async isSuppressed(email: string): Promise<boolean> {
    const rows = await this.db
      .writer()
      .query<unknown[]>('SELECT 1 FROM suppressions WHERE email_hash = ?', [emailHash(email)]);
    return rows.length > 0;
  }

  /** The given addresses that are on the list, as given; one query for all of them. */
  async suppressedAmong(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    // Several spellings of one address share a hash.
    const hashes = new Map<string, string[]>();
    for (const e of emails) hashes.set(emailHash(e), [...(hashes.get(emailHash(e)) ?? []), e]);
    const rows = await this.db
      .writer()
      .query<{ email_hash: string }[]>(
        'SELECT email_hash FROM suppressions WHERE email_hash IN (?)',
        [[...hashes.keys()]],
      );
    return new Set(rows.flatMap((r) => hashes.get(r.email_hash) ?? []));
  }

  /** Adds the address; a second suppression of the same address keeps the first reason. */
  async add(email: string, reason: SuppressionReason, siteId: string | null, at = new Date()) {
    await this.db
      .writer()
      .query(
        'INSERT INTO suppressions (email_hash, reason, site_id, created_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE email_hash = email_hash',
        [emailHash(email), reason, siteId, at],
      );
  }
}
