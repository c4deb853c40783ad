import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { closeConnection } from '../../src/platform/redis/close-connection.js';
import { freePort } from './free-port.js';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find(existsSync);

export interface RedisServer {
  port: number;
  url: string;
  child: ChildProcess;
  /** A client for assertions (closed by `stop`). */
  client: Redis;
  /** SIGKILL, as a crash would. */
  kill(): void;
  /** Starts it again on the same port with the same settings (after `kill`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free loopback port, without persistence, so stopping
 * it or filling it disturbs no other test running in parallel. `args` are extra server
 * options (`--maxmemory 2mb`, `--requirepass …`).
 */
export async function startRedisServer(
  args: string[] = [],
  password?: string,
): Promise<RedisServer> {
  if (!REDIS_SERVER)
    throw new Error(
      'redis-server not found in /usr/bin or /usr/sbin: tests that stop or fill a Redis run their own. ' +
        'Install Redis 7+ (Debian/Ubuntu: apt-get install redis-server; npm run services:up does).',
    );
  const port = await freePort();
  const auth = password === undefined ? [] : ['--requirepass', password];
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...auth,
        ...args,
      ],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 5000;
    for (;;) {
      const probe = new Redis(port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        // A refused probe ends there, rather than retrying until it is closed: closing a
        // retrying connection leaves ioredis's 2 s close timer running, which holds the jest
        // worker's exit.
        retryStrategy: () => null,
        ...(password === undefined ? {} : { password }),
      });
      probe.on('error', () => undefined);
      const ok = await probe.connect().then(
        () => true,
        () => false,
      );
      await closeConnection(probe);
      if (ok) return child;
      if (child.exitCode !== null || Date.now() > until) {
        child.kill('SIGKILL');
        throw new Error('redis-server did not start');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let child = await launch();
  const url = `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  const server: RedisServer = {
    port,
    url,
    get child() {
      return child;
    },
    client,
    kill: () => child.kill('SIGKILL'),
    restart: async () => {
      child = await launch();
    },
    stop: async () => {
      await closeConnection(client);
      child.kill('SIGKILL');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
  return server;
}
