import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { loadConfig } from '../../src/config/app-config.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { configProblems } from './support.js';

/** What the server at `port` answers a PING, sending `password` first when given (raw RESP). */
const answers = (port: number, password?: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(password === undefined ? 'PING\r\n' : `AUTH ${password}\r\nPING\r\n`);
    });
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      const lines = data.split('\r\n');
      if (lines.length > (password === undefined ? 1 : 2)) {
        socket.destroy();
        resolve(lines[password === undefined ? 0 : 1] ?? '');
      }
    });
    socket.on('error', reject);
  });

describe('local services with credentials, as in production', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecard-services-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the development URLs with the passwords services:up made', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'credentials.env'), 'DB_PASSWORD=dbSecret1\nREDIS_PASSWORD=rSecret2\n');
    const config = loadConfig({ APP_STAGE: 'development', SERVICES_DIR: dir });
    expect(config.database.primaryUrl).toBe('mysql://ecard:dbSecret1@127.0.0.1:23061/ecard');
    expect(config.database.replicaUrls).toEqual(['mysql://ecard:dbSecret1@127.0.0.1:23062/ecard']);
    expect(config.redisUrl).toBe('redis://:rSecret2@127.0.0.1:63791');
    expect(config.redisCacheUrl).toBe('redis://:rSecret2@127.0.0.1:63792');
  });

  it('says what to run when the credentials are missing', () => {
    const problems = configProblems({ APP_STAGE: 'development', SERVICES_DIR: newDir() });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'REDIS_URL']);
    expect(problems.join('\n')).toContain('npm run services:up');
  });

  describe('services.sh on a Redis it started before passwords existed', () => {
    let legacy: RedisServer;
    let dir: string;
    const services = (...args: string[]) =>
      execFileSync('bash', ['scripts/services.sh', '--profile', 'test', ...args], {
        env: {
          ...process.env,
          SERVICES_DIR: dir,
          // MariaDB ports are never touched: only `redis` is started and stopped here.
          SERVICES_PORTS: `1,2,${legacy.port},3`,
        },
        encoding: 'utf8',
      });

    beforeAll(async () => {
      dir = newDir();
      legacy = await startRedisServer();
      // As an older services.sh left it: its pid file, no password, no credentials file.
      execFileSync('mkdir', ['-p', join(dir, 'run')]);
      writeFileSync(join(dir, 'run', 'redis.pid'), String(legacy.child.pid));
    });
    // By the pid in this test's own directory, never through the script: a script that did
    // not honour SERVICES_DIR would stop the shared test profile's Redis.
    afterAll(async () => {
      const pid = Number(readFileSync(join(dir, 'run', 'redis.pid'), 'utf8').trim());
      if (pid > 0 && pid !== legacy.child.pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await legacy.stop();
    });

    it('makes the passwords, sets them on the running server, and starts with them', async () => {
      const port = legacy.port;
      expect(await answers(port)).toBe('+PONG');
      const said = services('start', 'redis');
      expect(said).toContain('setting its password');

      const file = join(dir, 'credentials.env');
      expect(statSync(file).mode & 0o077).toBe(0);
      const password = /^REDIS_PASSWORD=([A-Za-z0-9]{20,})$/m.exec(readFileSync(file, 'utf8'))?.[1];
      expect(password).toBeDefined();
      expect(await answers(port)).toMatch(/^-NOAUTH/);
      expect(await answers(port, password)).toBe('+PONG');

      // Restarted by the script, it comes back with the same password, never on the command line.
      services('stop', 'redis');
      expect(services('start', 'redis')).not.toContain('setting its password');
      expect(await answers(port)).toMatch(/^-NOAUTH/);
      expect(await answers(port, password)).toBe('+PONG');
      const pid = readFileSync(join(dir, 'run', 'redis.pid'), 'utf8').trim();
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(password as string);
    });
  });
});
