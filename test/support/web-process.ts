import { type ChildProcess, spawn } from 'node:child_process';

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
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', '@swc-node/register/esm-register', 'src/main.ts'],
    {
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
    },
  );
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
