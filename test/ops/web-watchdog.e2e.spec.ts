import { dropIsolatedEnv, isolatedEnv } from '../delivery/support/isolated-env.js';
import { startWorker, type WorkerProcess } from '../delivery/support/worker-process.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { until } from '../support/until.js';
import { type LogLine, linesOf } from './support/log-lines.js';

const HEARTBEAT_MS = 250;
const TIMEOUT_MS = 1500;
const INTERVAL_MS = 250;

/**
 * With a single worker, its own watchdog dies with it: the standby watchdog of a web process
 * takes the lock and reports the dead worker.
 */
describe('the standby watchdog in a web process (real processes)', () => {
  let env: Record<string, string>;
  let worker: WorkerProcess;
  let web: WebProcess;

  beforeAll(async () => {
    env = {
      ...(await isolatedEnv('ops_web_watchdog')),
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WATCHDOG_HEARTBEAT_TIMEOUT: String(TIMEOUT_MS),
      WATCHDOG_INTERVAL_MS: String(INTERVAL_MS),
    };
    worker = await startWorker(env);
    await until(
      () => worker.output().includes('watchdog active in this worker'),
      'the worker to hold the watchdog',
      20_000,
    );
    const port = await freePort();
    web = startWebProcess(port, { ...env, WATCHDOG_IN_WEB: 'true', LOG_LEVEL: 'info' });
    await until(
      async () =>
        (
          await send(port, { method: 'GET', url: '/health/live', host: 'localhost' }).catch(() => ({
            statusCode: 0,
          }))
        ).statusCode === 200,
      'the web process to listen',
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.kill('SIGTERM');
      await worker.exited;
    }
    await web.stop();
    await dropIsolatedEnv(env);
  });

  it('stays on standby while a worker watches, and alerts when the only worker is killed', async () => {
    // Several rounds with the worker alive: the web process never takes over.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 4));
    expect(web.output()).not.toContain('watchdog active in this web process');

    const pid = worker.child.pid;
    worker.kill('SIGKILL');
    await worker.exited;

    const isAlert = (l: LogLine): boolean =>
      l.level === 'error' &&
      l.alertState === 'firing' &&
      l.workerPid === pid &&
      String(l.alert).startsWith('heartbeat-missing:');
    // The dead worker's lock expires after three rounds, then the timeout passes.
    await until(
      () => linesOf(web.output()).some(isAlert),
      'the alert from the web process',
      15_000,
    );
    expect(web.output()).toContain('watchdog active in this web process');
    const line = linesOf(web.output()).find(isAlert) ?? {};
    expect(line).toMatchObject({ process: 'web', context: 'Watchdog' });
  }, 30_000);
});
