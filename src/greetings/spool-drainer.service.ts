import { Injectable, Logger } from '@nestjs/common';
import { isStoreUnavailable } from '../common/store-errors.js';
import { GreetingSpool } from './greeting-spool.js';
import { GreetingsRepository } from './greetings.repository.js';
import { OutboxNudge } from '../platform/queue/outbox-nudge.js';

const INTERVAL_MS = 1000;

/**
 * In the worker: moves greetings accepted while the primary was away into MariaDB once it
 * answers again; their outbox rows then go out through the relay as usual.
 */
@Injectable()
export class SpoolDrainer {
  private readonly logger = new Logger('SpoolDrainer');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly spool: GreetingSpool,
    private readonly greetings: GreetingsRepository,
    private readonly nudge: OutboxNudge,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.drainOnce().finally(() => (this.running = null));
    }, INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Drains while there is something to drain and the primary takes it. */
  async drainOnce(): Promise<void> {
    if (!this.greetings.primaryReachable()) return;
    try {
      let moved = 0;
      for (let batch = await this.spool.drain(); batch > 0; batch = await this.spool.drain()) {
        moved += batch;
      }
      if (moved > 0) {
        this.logger.log(`${moved} spooled greeting(s) written to the database`);
        this.nudge.nudge();
      }
    } catch (error) {
      if (!isStoreUnavailable(error)) this.logger.error(`spool drain failed: ${String(error)}`);
    }
  }
}
