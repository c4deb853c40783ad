import type { DataSource } from 'typeorm';
import { openTestDb } from '../../support/db.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { dropIsolatedEnv, isolatedEnv } from './isolated-env.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';
import { startWorker, type WorkerProcess } from './worker-process.js';

export interface DeliveryStack {
  env: Record<string, string>;
  sink: SmtpSink;
  web: TestApp;
  worker: WorkerProcess;
  db: DataSource;
  stop(): Promise<void>;
}

/**
 * What a delivery test runs against: its own database and queue prefix, a real SMTP server,
 * the web app and a worker process sharing them (with `extraEnv` on top), and a connection for
 * assertions. `stop` takes it all down in order, the worker drained first.
 */
export async function startDeliveryStack(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<DeliveryStack> {
  const env = await isolatedEnv(name);
  const sink = await startSmtpSink();
  const shared = { ...env, SMTP_URL: sink.url, ...extraEnv };
  const web = await startTestApp(shared);
  const worker = await startWorker(shared);
  const db = await openTestDb(env.DATABASE_URL);
  return {
    env,
    sink,
    web,
    worker,
    db,
    stop: async () => {
      worker.kill('SIGTERM');
      await worker.exited;
      await web.close();
      await db.destroy();
      await sink.close();
      await dropIsolatedEnv(env);
    },
  };
}
