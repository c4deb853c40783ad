import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { outboxNudgeChannel } from './jobs.js';
import { queueConnection } from './queue-connections.js';
import { closeConnection } from '../redis/close-connection.js';

/**
 * Tells relays that new outbox rows were committed, so an immediate send is queued within
 * milliseconds instead of at the next sweep. Fire-and-forget: a lost nudge only costs the
 * sweep interval, so a Redis outage must never fail the request that sent the card.
 */
@Injectable()
export class OutboxNudge implements OnModuleInit, OnApplicationShutdown {
  private connection: Redis | null = null;

  private readonly channel: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = outboxNudgeChannel(config.delivery.queuePrefix);
  }

  /** Connects at boot so the first send after start-up already finds a live connection. */
  onModuleInit(): void {
    this.connection = queueConnection(this.config.redisUrl, 'producer', 'outbox-nudge');
  }

  nudge(): void {
    if (this.connection?.status !== 'ready') return;
    this.connection.publish(this.channel, '1').catch(() => undefined);
  }

  /** Calls `onNudge` for every nudge until the returned function is called (and resolves). */
  listen(onNudge: () => void): () => Promise<void> {
    const subscriber = queueConnection(this.config.redisUrl, 'subscriber', 'outbox-listen');
    subscriber.on('message', (channel: string) => {
      if (channel === this.channel) onNudge();
    });
    subscriber.subscribe(this.channel).catch(() => undefined);
    return () => closeConnection(subscriber);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection) await closeConnection(this.connection);
  }
}
