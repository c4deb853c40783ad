import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../../src/config/app-config.js';
import { buildIfStale } from '../support/build.js';
import { freePort, nodeFlagsOf, waitForHttp } from '../support/processes.js';
import { type MailSink, startMailSink } from './mail-sink.js';

/**
 * The load profile: its own database in the development MariaDB, its own Redis database
 * number and queue prefix, so a load run neither reads nor disturbs anyone's demo data.
 */
export const LOAD_DATABASE = 'ecard_load';
const LOAD_REDIS_DB = 12;

export interface OwnStack {
  url: string;
  apiKey: string;
  sink: MailSink;
  env: Record<string, string>;
  /** Starts one more web process group on its own port (scale-out). */
  startWeb(port: number, concurrency: number, extraArgs?: string[]): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  webConcurrency: number;
  /** Write V8 CPU profiles of the web workers into this directory. */
  cpuProfileDir?: string;
  /** Start no web process (scale-out starts its own groups). */
  withoutWeb?: boolean;
  log?: (line: string) => void;
}

interface DevServices {
  primary: string;
  replica: string;
  redis: string;
  redisCache: string;
}

/**
 * Services of the development profile (idempotent), and their addresses with the passwords
 * `services.sh` made, without a database name or number.
 */
function startDevServices(): DevServices {
  const clean = { ...process.env };
  for (const key of ['DATABASE_URL', 'DATABASE_REPLICA_URLS', 'REDIS_URL', 'APP_STAGE'])
    delete clean[key];
  execFileSync('bash', ['scripts/services.sh', '--profile', 'dev', 'up'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: clean,
  });
  const dev = loadConfig({ APP_STAGE: 'development' });
  const bare = (url: string) => {
    const u = new URL(url);
    u.pathname = '';
    return u.toString().replace(/\/$/, '');
  };
  return {
    primary: bare(dev.database.primaryUrl),
    replica: bare(dev.database.replicaUrls[0] ?? dev.database.primaryUrl),
    redis: bare(dev.redisUrl),
    redisCache: bare(dev.redisCacheUrl),
  };
}

/** A fresh load database, migrated and seeded, and an empty Redis database. */
async function prepareData(
  services: DevServices,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  const server = await createConnection(`${services.primary}/`);
  await server.query(`DROP DATABASE IF EXISTS \`${LOAD_DATABASE}\``);
  await server.query(`CREATE DATABASE \`${LOAD_DATABASE}\``);
  await server.end();
  for (const url of [services.redis, services.redisCache]) {
    const redis = new Redis(`${url}/${LOAD_REDIS_DB}`);
    await redis.flushdb();
    redis.disconnect();
  }
  const cli = (args: string[]) =>
    execFileSync(process.execPath, ['dist/src/cli.js', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env },
    });
  cli(['migrate']);
  cli(['seed']);
  log(
    `data: database ${LOAD_DATABASE} (dev MariaDB 23061 + replica 23062), Redis db ${LOAD_REDIS_DB} (63791)`,
  );
}

/** Logs of the stack's processes (JSON lines, warn and above) for the run's post-mortem. */
const STACK_LOG = 'load-tests/reports/stack.log';

function spawnNode(args: string[], env: Record<string, string>, detached = false): ChildProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  const sink = createWriteStream(STACK_LOG, { flags: 'a' });
  child.stdout?.pipe(sink, { end: false });
  child.stderr?.pipe(sink, { end: false });
  return child;
}

async function waitForWorker(child: ChildProcess): Promise<void> {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    if (output.length < 100_000) output += c.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes('worker started')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`worker did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  // SIGTERM to the process (a cluster primary passes it on); SIGKILL to its whole group.
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts what `npm start` runs, built and in cluster mode, on the load profile: services,
 * a fresh schema and catalog, an SMTP sink, the web process and a delivery worker.
 */
export async function startOwnStack(options: StackOptions): Promise<OwnStack> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  buildIfStale(log);
  mkdirSync('load-tests/reports', { recursive: true });
  writeFileSync(STACK_LOG, '');
  const services = startDevServices();
  const sink = await startMailSink();
  const apiKey = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    APP_STAGE: 'development',
    DATABASE_URL: `${services.primary}/${LOAD_DATABASE}`,
    DATABASE_REPLICA_URLS: `${services.replica}/${LOAD_DATABASE}`,
    REDIS_URL: `${services.redis}/${LOAD_REDIS_DB}`,
    REDIS_CACHE_URL: `${services.redisCache}/${LOAD_REDIS_DB}`,
    QUEUE_PREFIX: `ecard-load-${Date.now().toString(36)}`,
    SMTP_URL: sink.url,
    LOG_LEVEL: 'warn',
    TEMPLATE_WATCH: 'false',
    QUEUE_DASHBOARD: 'false',
    API_KEYS: `loadtest=${apiKey}`,
    // Photos sent by the run stay with its reports, not in the development data folder.
    SENDER_PHOTO_DIR: 'load-tests/reports/sender-photos',
    // The worker's bounce listener on a port of its own: a development stack may hold 2525,
    // and the report check sends its DSN and ARF messages here.
    BOUNCE_SMTP_PORT: String(await freePort()),
  };
  await prepareData(services, env, log);
  const children: { child: ChildProcess; group: boolean }[] = [];
  const startWeb = async (port: number, concurrency: number, extraArgs: string[] = []) => {
    const child = spawnNode(
      [...nodeFlagsOf('web'), ...extraArgs, 'dist/src/main.js'],
      { ...env, PORT: String(port), PUBLIC_PORT: '8080', WEB_CONCURRENCY: String(concurrency) },
      true,
    );
    children.push({ child, group: true });
    await waitForHttp(`http://127.0.0.1:${port}/health/live`, 60_000);
    return child;
  };
  const worker = spawnNode([...nodeFlagsOf('worker'), 'dist/src/worker.js'], env);
  children.push({ child: worker, group: false });
  await waitForWorker(worker);
  let url = '';
  if (!options.withoutWeb) {
    const port = await freePort();
    const profile = options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
      : [];
    if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
    await startWeb(port, options.webConcurrency, profile);
    url = `http://127.0.0.1:${port}`;
  }
  log(
    `stack: web ${url || '(none)'} WEB_CONCURRENCY=${options.webConcurrency}, worker, SMTP sink ${sink.url}`,
  );
  return {
    url,
    apiKey,
    sink,
    env,
    startWeb,
    stop: async () => {
      await Promise.all(children.map((c) => stopChild(c.child, c.group)));
      await sink.close();
    },
  };
}
