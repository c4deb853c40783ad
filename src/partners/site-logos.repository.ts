import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';

/** Logo bytes by hash; a row is never changed, so any copy of it stays right. */
@Injectable()
export class SiteLogosRepository {
  constructor(private readonly db: DatabaseService) {}

  async save(hash: string, siteId: string, png: Buffer, width: number, height: number) {
    await this.db.writer().query(
      `INSERT IGNORE INTO site_logos (hash, site_id, width, height, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      [hash, siteId, width, height, png, new Date()],
    );
  }

  async body(hash: string): Promise<Buffer | null> {
    const rows = await this.db
      .writer()
      .query<{ body: Buffer }[]>('SELECT body FROM site_logos WHERE hash = ?', [hash]);
    return rows[0]?.body ?? null;
  }
}
