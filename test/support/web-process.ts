import { type ChildProcess, spawn } from 'node:child_process';
import { builtEntry } from './built-sources.js';
import { send } from './http-client.js';

export interface WebProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout so far (JSON log lines). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The web entry point as production runs it, in its own process, for what an in-process app
 * cannot show (cluster mode, signals, modules jest cannot load). Its run's database and Redis
 * come from the environment like every test's.
 */
export function startWebProcess(
  port: number,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): WebProcess {
  const child = spawn(process.execPath, [...nodeArgs, builtEntry('main')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      APP_STAGE: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      WEB_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves once the process answers its liveness probe; throws when it never does. */
export async function untilListening(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await send(port, { method: 'GET', url: '/health/live', host: 'localhost' });
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('web process did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}
