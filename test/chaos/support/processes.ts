import { type ChildProcess, spawn } from 'node:child_process';
import { buildSources, builtEntry } from '../../support/built-sources.js';

export const BUILD_DIR = 'dist/chaos';

/**
 * Compiles src/ and migrations/ to plain JavaScript (a second or two), so a restarted process
 * boots as fast as the built production code does rather than compiling its sources on the
 * fly; the recovery times measured are then the platform's, not the compiler's.
 */
export function buildForChaos(): Promise<void> {
  return buildSources(BUILD_DIR);
}

export interface AppProcess {
  /** `web`, `delivery worker 1`, `delivery worker 2`…: how the run names it in a report. */
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<unknown>;
}

const started: AppProcess[] = [];

const running = (app: AppProcess): boolean =>
  app.child.exitCode === null && app.child.signalCode === null;

/** `web` or `worker` from the chaos build, logging JSON lines into `output()`. */
export function startProcess(entry: 'main' | 'worker', env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [builtEntry(entry, BUILD_DIR)], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const workers = started.filter((app) => app.name !== 'web').length;
  const name = entry === 'main' ? 'web' : `delivery worker ${workers + 1}`;
  const app = { name, child, output: () => output, exited };
  started.push(app);
  return app;
}

export async function stopProcess(app: AppProcess): Promise<void> {
  if (!running(app)) return;
  app.child.kill('SIGTERM');
  await app.exited;
}

/** A run given up on leaves nothing behind: every process it started, SIGKILLed. */
export function killEveryProcess(): void {
  for (const app of started) if (running(app)) app.child.kill('SIGKILL');
}

/** The last lines each process printed, for a run that failed without saying why. */
export function lastLinesOfEveryProcess(lines = 15): string {
  return started
    .map(
      (app) =>
        `--- ${app.name}, last lines:\n${app.output().trimEnd().split('\n').slice(-lines).join('\n')}\n`,
    )
    .join('');
}
