import { type DynamicModule, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { MailModule } from '../platform/mail/mail.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { OPS_LOGGER, OpsAlerts } from './ops-alerts.js';
import { OverdueRecipientsRepository } from './overdue-recipients.repository.js';
import { QueueDepthSampler } from './queue-depth-sampler.js';
import { Watchdog } from './watchdog.js';
import { WatchdogIdentity } from './watchdog-identity.js';

/**
 * The watchdog on standby in a web process: it only becomes active when no worker holds the
 * lock, which is exactly when every worker is gone and someone must say so. A web process
 * publishes no heartbeat of its own: it is watched by the load balancer's health checks.
 */
@Module({})
export class WebWatchdogModule {
  static forRoot(logger: Logger): DynamicModule {
    const identity: WatchdogIdentity = {
      id: `web:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      processType: 'web process',
    };
    return {
      module: WebWatchdogModule,
      imports: [MailModule, QueueModule],
      providers: [
        { provide: OPS_LOGGER, useValue: logger.child({ context: 'Watchdog' }, { level: 'info' }) },
        { provide: WatchdogIdentity, useValue: identity },
        QueueDepthSampler,
        OpsAlerts,
        OverdueRecipientsRepository,
        Watchdog,
      ],
    };
  }
}
