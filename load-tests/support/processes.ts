export { freePort } from '../../test/support/free-port.js';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildIfStale } from './build.js';

/**
 * The node flags a process type runs with in production (from package.json's `web` or
 * `worker` script). Benchmarks and load tests start every process with them, the platform and
 * its baselines alike.
 */
export function nodeFlagsOf(script: 'web' | 'worker'): string[] {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (manifest.scripts[script] ?? '').split(/\s+/).filter((token) => token.startsWith('--'));
}

/**
 * A node process with these arguments (flags, then the script), its output dropped: its own
 * process, so it gets its own event loop.
 */
export function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * The development services, schema and demo catalog, as `npm start` prepares them, and the
 * compiled platform (`dist/`) the benches run, built when it is older than the sources.
 */
export function prepareLocalStack(): void {
  buildIfStale();
  // The release commands from the build just made, not compiled again through the loader.
  const run = (args: string[]) =>
    execFileSync(process.execPath, ['dist/src/cli.js', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  execFileSync('bash', ['scripts/services.sh', 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  run(['migrate']);
  run(['seed', '--if-empty']);
}
