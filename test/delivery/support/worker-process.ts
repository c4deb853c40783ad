import { type ChildProcess, spawn } from 'node:child_process';
import { builtEntry } from '../../support/built-sources.js';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

/** The real worker entry point (`src/worker.ts`, built) as a child process, as production runs it. */
export async function startWorker(
  env: Record<string, string>,
  /** Extra node flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs: string[] = [],
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, builtEntry('worker')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      APP_STAGE: 'test',
      LOG_LEVEL: 'warn',
      PORT: '8080',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const started = Date.now();
  while (!output.includes('worker started')) {
    if (child.exitCode !== null || Date.now() - started > 20_000) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, output: () => output, exited, kill: (s) => child.kill(s) };
}
