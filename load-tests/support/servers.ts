import { runLoad } from './load.js';
import { freePort, nodeFlagsOf, startNode, stop, waitForHttp } from './processes.js';

export const BENCH_HOST = 'www.ecardia.example';

export interface RunningServer {
  url: string;
  /** The server's process (a web process with WEB_CONCURRENCY=1 serves in its own). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * A TypeScript server entry point in its own process on a free port, answering before this
 * returns. `probe` is the path polled until it answers. Every server gets the web process's
 * node flags, so the platform and its baseline run on the same runtime settings.
 */
export function startServer(
  entry: string,
  env: Record<string, string>,
  probe = '/',
): Promise<RunningServer> {
  return startListening(
    [...nodeFlagsOf('web'), '--import', '@swc-node/register/esm-register', entry],
    env,
    probe,
  );
}

async function startListening(
  args: string[],
  env: Record<string, string>,
  probe: string,
): Promise<RunningServer> {
  const port = await freePort();
  const child = startNode(args, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${probe}`);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { url, pid: child.pid ?? 0, stop: () => stop(child) };
}

/**
 * The platform's web process as deployed: the compiled `dist/` (see `prepareLocalStack`), one
 * process, templates compiled once. Run from the TypeScript sources through the loader instead,
 * the same process spent 1.08 times the CPU per rendered page (median of 8 rounds, both loaded
 * at once), while the baselines measured the same either way (1.007): they are started from
 * their sources.
 */
export function startStack(env: Record<string, string> = {}): Promise<RunningServer> {
  return startListening(
    [...nodeFlagsOf('web'), 'dist/src/main.js'],
    { WEB_CONCURRENCY: '1', LOG_LEVEL: 'warn', TEMPLATE_WATCH: 'false', ...env },
    '/health/live',
  );
}

/** Path of the first card in the flagship's catalog. */
export async function firstCardPath(stackUrl: string): Promise<{ slug: string; path: string }> {
  // 127.0.0.1 is one of the flagship's names, so plain fetch reaches its catalog.
  const res = await fetch(`${stackUrl}/api/cards?limit=1`);
  const cards = (await res.json()) as { items: { slug: string }[] };
  const slug = cards.items[0]?.slug ?? '';
  return { slug, path: `/cards/${slug}` };
}

/** A second of light load, so both sides are measured warm; fails if the page is not 200. */
export async function warmUp(url: string): Promise<void> {
  const warm = await runLoad({ url, host: BENCH_HOST, connections: 4, durationSeconds: 1 });
  if (warm.non2xx > 0 || warm.errors > 0) throw new Error(`${url} does not answer 200`);
}

/** Runs `work` with both servers and stops them whatever happens. */
export async function withServers<T>(servers: RunningServer[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
