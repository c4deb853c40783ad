import { Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { RecipientsModule } from './recipients.module.js';
import { SpoolDrainer } from './spool-drainer.service.js';
import { QueueModule } from '../platform/queue/queue.module.js';

/**
 * The outbox's far side, for the worker: greetings write outbox rows in a send's own
 * transaction, and this module moves them to the queue, so one feature owns the table.
 */
@Module({
  imports: [QueueModule, RecipientsModule],
  providers: [OutboxRepository, OutboxRelay, SpoolDrainer],
  exports: [OutboxRelay, SpoolDrainer],
})
export class OutboxModule {}
