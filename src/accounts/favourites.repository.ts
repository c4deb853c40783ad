import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';

/** How many cards one member may star: a bound on the fragment every page fetches. */
export const MAX_FAVOURITES = 200;

@Injectable()
export class FavouritesRepository {
  constructor(private readonly db: DatabaseService) {}

  async slugsOf(siteId: string, memberId: string): Promise<string[]> {
    const rows = await this.db.writer().query<{ slug: string }[]>(
      `SELECT card_slug AS slug FROM member_favourites WHERE site_id = ? AND member_id = ?
         ORDER BY created_at DESC LIMIT ?`,
      [siteId, memberId, MAX_FAVOURITES],
    );
    return rows.map((r) => r.slug);
  }

  async add(siteId: string, memberId: string, slug: string): Promise<void> {
    await this.db.writer().query(
      `INSERT IGNORE INTO member_favourites (member_id, site_id, card_slug, created_at)
         SELECT ?, ?, ?, ? FROM DUAL
         WHERE (SELECT COUNT(*) FROM member_favourites WHERE member_id = ?) < ?`,
      [memberId, siteId, slug, new Date(), memberId, MAX_FAVOURITES],
    );
  }

  async remove(siteId: string, memberId: string, slug: string): Promise<void> {
    await this.db
      .writer()
      .query(
        'DELETE FROM member_favourites WHERE site_id = ? AND member_id = ? AND card_slug = ?',
        [siteId, memberId, slug],
      );
  }

  async removeAll(siteId: string, memberId: string): Promise<void> {
    await this.db
      .writer()
      .query('DELETE FROM member_favourites WHERE site_id = ? AND member_id = ?', [
        siteId,
        memberId,
      ]);
  }
}
