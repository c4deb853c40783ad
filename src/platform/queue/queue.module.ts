import { Module } from '@nestjs/common';
import { JobQueues } from './job-queues.js';
import { OutboxNudge } from './outbox-nudge.js';

/** Producers and the nudge channel, for web and worker processes alike. */
@Module({ providers: [JobQueues, OutboxNudge], exports: [JobQueues, OutboxNudge] })
export class QueueModule {}
