import http from 'node:http';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { until } from '../support/until.js';

interface Line {
  msg?: string;
  pid?: number;
}

const linesOf = (output: string): Line[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

const listeningPids = (output: string): number[] =>
  linesOf(output)
    .filter((l) => l.msg?.startsWith('listening on'))
    .map((l) => l.pid ?? 0);

describe('web cluster rolling restart', () => {
  let port: number;
  let web: WebProcess;

  beforeAll(async () => {
    port = await freePort();
    // Cluster mode as production runs it; the dashboard is off to keep start-up quick.
    web = startWebProcess(port, { WEB_CONCURRENCY: '2', QUEUE_DASHBOARD: 'false' });
    await until(() => listeningPids(web.output()).length === 2, 'two workers listening');
  }, 40_000);

  afterAll(async () => {
    await web.stop();
  });

  // A new connection per request: what is checked is that some worker always listens. A
  // keep-alive socket to a stopping worker can still be reset; proxies retry those.
  const keepAliveAgent = http.globalAgent;
  beforeEach(() => (http.globalAgent = new http.Agent({ keepAlive: false })));
  afterEach(() => (http.globalAgent = keepAliveAgent));

  it('replaces every worker on SIGHUP without failing a request', async () => {
    const before = listeningPids(web.output());
    const failures: string[] = [];
    let served = 0;
    let running = true;
    const load = async (): Promise<void> => {
      while (running) {
        try {
          const res = await send(port, {
            method: 'GET',
            url: '/api/cards?limit=1',
            host: HOSTS.flagship,
          });
          if (res.statusCode === 200) served++;
          else failures.push(`status ${res.statusCode}`);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    const loops = [load(), load(), load()];
    await new Promise((r) => setTimeout(r, 300));
    web.child.kill('SIGHUP');
    // Each replacement compiles the app from source before it listens: slow on a busy machine.
    await until(
      () => web.output().includes('rolling restart done'),
      'the restart to finish',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(loops);

    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(20);
    const after = listeningPids(web.output()).slice(2);
    expect(after).toHaveLength(2);
    for (const pid of after) expect(before).not.toContain(pid);
  }, 90_000);
});
