import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DatabaseService } from '../platform/database/database.service.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import { SenderPhotoStore } from '../platform/photos/sender-photo-store.js';

const BATCH = 500;
const DAY_MS = 86_400_000;
/** Recipients in these states may still be mailed: their greeting is not done yet. */
const ACTIVE = ['scheduled', 'queued', 'sending'];

/**
 * Removes the personal data of greetings older than RETENTION_DAYS: sender and recipient names
 * and addresses, the message, the sender's photo and delivery error texts. The rows stay, emptied, so counts per
 * site, day and status remain. A greeting with a recipient still due is left until it is done;
 * the suppression list keeps only hashes and is never purged, so opt-outs outlive it.
 */
@Injectable()
export class PersonalDataRetention implements JobHandler<'purge-personal-data'> {
  readonly job = 'purge-personal-data';
  private readonly logger = new Logger('Retention');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly photos: SenderPhotoStore,
  ) {}

  async handle(): Promise<void> {
    const removed = await this.purge();
    if (removed > 0) this.logger.log(`personal data removed from ${removed} greetings`);
  }

  /** Number of greetings emptied. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.security.retention.days * DAY_MS);
    let total = 0;
    for (;;) {
      const { done, photoIds } = await this.db.writeTransaction(async (tx) => {
        const rows = await tx.query<{ id: string; photo_id: string | null }[]>(
          `SELECT g.id, g.photo_id FROM greetings g
            WHERE g.personal_data_removed_at IS NULL AND g.created_at < ?
              AND COALESCE(g.send_at, g.created_at) < ?
              AND NOT EXISTS (SELECT 1 FROM greeting_recipients r
                               WHERE r.greeting_id = g.id AND r.status IN (?))
            ORDER BY g.created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [before, before, ACTIVE],
        );
        const ids = rows.map((r) => r.id);
        if (ids.length === 0) return { done: 0, photoIds: [] };
        await tx.query(
          `UPDATE greeting_recipient_events e JOIN greeting_recipients r ON r.id = e.recipient_id
              SET e.detail = NULL WHERE r.greeting_id IN (?)`,
          [ids],
        );
        await tx.query(
          `UPDATE greeting_recipients SET name = '', email = '', last_error = NULL
            WHERE greeting_id IN (?)`,
          [ids],
        );
        await tx.query(
          `UPDATE greetings SET sender_name = '', sender_email = '', message = '', inside_text = NULL,
                  photo_id = NULL, personal_data_removed_at = ? WHERE id IN (?)`,
          [now, ids],
        );
        return {
          done: ids.length,
          photoIds: rows.flatMap((r) => (r.photo_id === null ? [] : [r.photo_id])),
        };
      });
      // After the commit: a rolled-back batch keeps its photos. A crash between the two leaves
      // files no row names, which no link can reach.
      await this.photos.remove(photoIds);
      total += done;
      if (done < BATCH) return total;
    }
  }
}
