import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import { GreetingRecipient } from './greeting-recipient.entity.js';
import { Greeting } from './greeting.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';

export interface NewGreeting {
  greeting: Greeting;
  recipients: GreetingRecipient[];
  outbox: Omit<OutboxMessage, 'id'>[];
}

export interface PickupRecord {
  recipientId: string;
  recipientName: string;
  openedAt: Date | null;
  greetingId: string;
  siteId: string;
  cardId: number;
  senderName: string;
  senderEmail: string;
  message: string;
  createdAt: Date;
  sendAt: Date | null;
}

/** Greeting writes and the reads that must see them: all on the primary. */
@Injectable()
export class GreetingsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Greeting, recipients and outbox rows in one transaction: all of it or none of it. */
  async insert(record: NewGreeting): Promise<void> {
    await this.db.writer().transaction(async (tx) => {
      // updateEntity(false): TypeORM would otherwise write values it reads back after a
      // multi-row insert into the caller's objects, and can pair them with the wrong rows.
      const insert = () => tx.createQueryBuilder().insert().updateEntity(false);
      await insert().into(Greeting).values(record.greeting).execute();
      await insert().into(GreetingRecipient).values(record.recipients).execute();
      await insert().into(OutboxMessage).values(record.outbox).execute();
    });
  }

  findByIdempotencyKey(siteId: string, key: string): Promise<Greeting | null> {
    return this.db.writer().findOne(Greeting, { where: { siteId, idempotencyKey: key } });
  }

  findGreeting(siteId: string, id: string): Promise<Greeting | null> {
    return this.db.writer().findOne(Greeting, { where: { siteId, id } });
  }

  recipientsOf(greetingId: string): Promise<GreetingRecipient[]> {
    return this.db.writer().find(GreetingRecipient, {
      where: { greetingId },
      order: { position: 'ASC' },
    });
  }

  async findPickup(recipientId: string): Promise<PickupRecord | null> {
    const row = await this.db
      .writer()
      .createQueryBuilder(GreetingRecipient, 'r')
      .innerJoin(Greeting, 'g', 'g.id = r.greeting_id')
      .select([
        'r.id AS recipientId',
        'r.name AS recipientName',
        'r.opened_at AS openedAt',
        'g.id AS greetingId',
        'g.site_id AS siteId',
        'g.card_id AS cardId',
        'g.sender_name AS senderName',
        'g.sender_email AS senderEmail',
        'g.message AS message',
        'g.created_at AS createdAt',
        'g.send_at AS sendAt',
      ])
      .where('r.id = :recipientId', { recipientId })
      .getRawOne<PickupRecord>();
    if (!row) return null;
    return { ...row, cardId: Number(row.cardId) };
  }

  /** Records the first open only; later opens leave the first time standing. */
  async markOpened(recipientId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .writer()
      .createQueryBuilder()
      .update(GreetingRecipient)
      .set({ openedAt: at })
      .where('id = :recipientId AND opened_at IS NULL', { recipientId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
