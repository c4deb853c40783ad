import { type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import {
  JOB_HANDLERS,
  type JobHandler,
  JobRegistryError,
} from '../../src/platform/queue/job-handler.js';
import { QueueProcessor } from '../../src/platform/queue/job-processors.js';
import { JobQueues } from '../../src/platform/queue/job-queues.js';
import { jobWorkersFor, JobWorkers } from '../../src/platform/queue/job-workers.js';
import { JOB_NAMES, type JobName, QUEUES } from '../../src/platform/queue/jobs.js';
import { QueueModule } from '../../src/platform/queue/queue.module.js';
import { testConfig } from '../support/test-app.js';

/** Handlers that record what they were given; `deliver-greeting` waits until released. */
class Recorder {
  readonly seen: { job: JobName; payload: unknown }[] = [];
  private release: () => void = () => undefined;
  private started: () => void = () => undefined;
  readonly delivering = new Promise<void>((r) => (this.started = r));
  private readonly released = new Promise<void>((r) => (this.release = r));

  handlers(names: readonly JobName[]): JobHandler[] {
    return names.map((job) => ({
      job,
      handle: async (payload: unknown) => {
        this.seen.push({ job, payload });
        if (job !== 'deliver-greeting') return;
        this.started();
        await this.released;
      },
    }));
  }

  finish(): void {
    this.release();
  }
}

/** The worker process's queue parts alone, with the given handlers, on this run's Redis. */
async function workerContext(
  config: AppConfig,
  handlers: JobHandler[],
): Promise<{ app: INestApplicationContext; processors: QueueProcessor[] }> {
  const parts = jobWorkersFor(config);
  @Module({
    imports: [ConfigModule.forRoot(config), QueueModule, ...parts.imports],
    providers: [{ provide: JOB_HANDLERS, useValue: handlers }, ...parts.providers],
  })
  class WorkerPartsModule {}
  const app = await NestFactory.createApplicationContext(WorkerPartsModule, {
    logger: false,
    abortOnError: false,
  });
  const processors = parts.providers.filter(
    (p): p is Type<QueueProcessor> =>
      typeof p === 'function' && p.prototype instanceof QueueProcessor,
  );
  return { app, processors: processors.map((type) => app.get(type)) };
}

describe('queue workers registered through @nestjs/bullmq', () => {
  const config = testConfig({
    QUEUE_PREFIX: `workers-${randomBytes(4).toString('hex')}`,
    DELIVERY_CONCURRENCY: '3',
    DELIVERY_RATE_PER_SECOND: '40',
  });

  it('refuses to boot when a job in the registry has no handler', async () => {
    const some = new Recorder().handlers(JOB_NAMES.filter((n) => n !== 'send-partner-email'));
    await expect(workerContext(config, some)).rejects.toThrow(JobRegistryError);
  });

  it('starts no worker until asked, runs jobs with the configured settings, drains on stop', async () => {
    const recorder = new Recorder();
    const { app, processors } = await workerContext(config, recorder.handlers(JOB_NAMES));
    try {
      expect(processors).toHaveLength(2);
      for (const p of processors) expect(() => p.worker).toThrow(/not yet been initialized/);

      const workers = app.get(JobWorkers);
      workers.start();
      const byQueue = new Map(processors.map((p) => [p.worker.name, p.worker]));
      const delivery = byQueue.get(QUEUES.delivery);
      const notifications = byQueue.get(QUEUES.notifications);
      expect(delivery?.name).toBe('delivery');
      expect(delivery?.concurrency).toBe(3);
      expect(delivery?.opts.limiter).toEqual({ max: 40, duration: 1000 });
      expect(delivery?.opts.prefix).toBe(config.delivery.queuePrefix);
      expect(notifications?.concurrency).toBe(4);
      expect(notifications?.opts.limiter).toBeUndefined();

      const recipientId = randomBytes(16).toString('base64url').slice(0, 22);
      await app
        .get(JobQueues)
        .enqueue([{ job: { name: 'deliver-greeting', payload: { recipientId } } }]);
      await recorder.delivering;

      let stopped = false;
      const stopping = workers.stop().then(() => (stopped = true));
      // The job is still running: stopping waits for it rather than abandoning it.
      await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false);
      recorder.finish();
      await stopping;
      expect(recorder.seen).toEqual([{ job: 'deliver-greeting', payload: { recipientId } }]);
      const state = await app
        .get(JobQueues)
        .use(QUEUES.delivery, (q) => q.getJobState(recipientId));
      expect(state).toBe('completed');
    } finally {
      recorder.finish();
      await app.close();
    }
  });
});
