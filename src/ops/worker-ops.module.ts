import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { PoolMetrics } from '../platform/observability/pool-metrics.js';
import { MailModule } from '../platform/mail/mail.module.js';
import { WorkerHeartbeat } from './heartbeats.js';
import { OPS_LOGGER, OpsAlerts } from './ops-alerts.js';
import { OverdueRecipientsRepository } from './overdue-recipients.repository.js';
import { QueueDepthSampler } from './queue-depth-sampler.js';
import { Watchdog } from './watchdog.js';
import { WatchdogIdentity } from './watchdog-identity.js';
import { WorkerMetricsServer } from './worker-metrics-server.js';
import { QueueModule } from '../platform/queue/queue.module.js';

/**
 * What watches the worker process type: its metrics server, queue and pool metrics, its
 * heartbeat and the watchdog. Imported next to the delivery module by the worker entry point,
 * so delivery code knows nothing of it.
 */
@Module({})
export class WorkerOpsModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: WorkerOpsModule,
      imports: [QueueModule, MailModule],
      providers: [
        // Alert and watchdog-state lines are written whatever LOG_LEVEL says, like lifecycle lines.
        { provide: OPS_LOGGER, useValue: logger.child({ context: 'Watchdog' }, { level: 'info' }) },
        PoolMetrics,
        QueueDepthSampler,
        WorkerMetricsServer,
        WorkerHeartbeat,
        {
          provide: WatchdogIdentity,
          useFactory: (heartbeat: WorkerHeartbeat): WatchdogIdentity => ({
            id: heartbeat.id,
            processType: 'worker',
          }),
          inject: [WorkerHeartbeat],
        },
        OpsAlerts,
        OverdueRecipientsRepository,
        Watchdog,
      ],
    };
  }
}

/** The worker process's root module: the delivery module with what watches it alongside. */
export function withWorkerOps(delivery: DynamicModule, logger: Logger): DynamicModule {
  return { module: WorkerProcessModule, imports: [delivery, WorkerOpsModule.forRoot(logger)] };
}

@Module({})
class WorkerProcessModule {}
