import { spawn } from 'node:child_process';
import {
  ConfigError,
  DEV_ADMIN_TOKEN,
  DEV_ALTCHA_HMAC_KEY,
  DEV_PICKUP_SECRET,
  loadConfig,
} from '../../src/config/app-config.js';
import { DEV_DKIM_KEY_ENCRYPTION_KEY } from '../../src/config/dkim-config.js';
import { builtEntry } from '../support/built-sources.js';

/** What a real deployment sets, strong and distinct; each case below spoils one thing. */
const DEPLOYED = {
  DATABASE_URL: 'mysql://ecard:pw@db.internal/ecard',
  REDIS_URL: 'redis://:pw@redis.internal:6379',
  SMTP_URL: 'smtp://smtp.internal:25',
  PICKUP_TOKEN_SECRET: 'p9F2kQ7vX1mZ8rT4wB6nC3yH5jL0sD2g',
  ADMIN_TOKEN: 'a7G3hK9pQ2xV5mN8rT1wZ4cB6yJ0sL3f',
  ALTCHA_HMAC_KEY: 'w4Hq8Ls2Nd6Kx0Vb3Tf7Rm1Gc9Pz5YjE',
  BOUNCE_DOMAIN: 'bounces.ecard.example',
  DKIM_KEY_ENCRYPTION_KEY: 'q3VhKx8ZbN2mT7cR4wY9fL1pD6sG0jHaE5uI8oB2nCk=',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('attack: a deployment that forgot to name its stage', () => {
  it('takes NODE_ENV=production without APP_STAGE as production, not development', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...DEPLOYED }).stage).toBe('production');
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of [
      'DATABASE_URL',
      'REDIS_URL',
      'PICKUP_TOKEN_SECRET',
      'ADMIN_TOKEN',
      'ALTCHA_HMAC_KEY',
      'SMTP_URL',
      'BOUNCE_DOMAIN',
      'DKIM_KEY_ENCRYPTION_KEY',
    ]) {
      expect(problems.join('\n')).toContain(`${name}: required`);
    }
  });

  it.each(['production', 'staging'])(
    'refuses the development secrets on %s, even set explicitly',
    (stage) => {
      for (const [name, value] of [
        ['PICKUP_TOKEN_SECRET', DEV_PICKUP_SECRET],
        ['ADMIN_TOKEN', DEV_ADMIN_TOKEN],
        ['ALTCHA_HMAC_KEY', DEV_ALTCHA_HMAC_KEY],
        ['DKIM_KEY_ENCRYPTION_KEY', DEV_DKIM_KEY_ENCRYPTION_KEY.toString('base64')],
      ] as const) {
        const problems = problemsOf({ ...DEPLOYED, APP_STAGE: stage, [name]: value });
        expect(problems.filter((p) => p.startsWith(`${name}:`))).not.toEqual([]);
      }
      expect(problemsOf({ ...DEPLOYED, APP_STAGE: stage })).toEqual([]);
    },
  );

  it('still lets a developer run NODE_ENV=production locally by naming the stage', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      APP_STAGE: 'development',
      DATABASE_URL: DEPLOYED.DATABASE_URL,
      REDIS_URL: DEPLOYED.REDIS_URL,
    });
    expect(config.adminToken).toBe(DEV_ADMIN_TOKEN);
  });

  it.each(['0.0.0.0/0', '::/0', '*', '10.0.0.0/8,0.0.0.0/0', 'loopback, ::/0', 'true'])(
    'refuses TRUST_PROXY=%s in production: every client could pick its address',
    (value) => {
      const problems = problemsOf({ ...DEPLOYED, APP_STAGE: 'production', TRUST_PROXY: value });
      expect(problems.filter((p) => p.startsWith('TRUST_PROXY:'))).not.toEqual([]);
    },
  );

  it('accepts named proxies in production', () => {
    const config = loadConfig({
      ...DEPLOYED,
      APP_STAGE: 'production',
      TRUST_PROXY: '10.0.0.0/8,loopback',
    });
    expect(config.http.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
  });
});

const BOOT_LIMIT_MS = 40_000;

/** Runs an entry point as a deployment would, with only NODE_ENV=production set. */
function runEntryPoint(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A process that boots instead of stopping would wait for its stores for ever.
    const timer = setTimeout(() => child.kill('SIGKILL'), BOOT_LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('attack: starting a process with NODE_ENV=production and nothing else', () => {
  it.each([
    ['the web process', [builtEntry('main')]],
    ['the worker', [builtEntry('worker')]],
    ['the release step', [builtEntry('cli'), 'migrate']],
  ])(
    'stops %s with the missing settings named, no stack trace',
    async (_name, args) => {
      const { code, stdout, stderr } = await runEntryPoint(args);
      expect(code).not.toBe(0);
      expect(stdout).toBe('');
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'PICKUP_TOKEN_SECRET', 'ADMIN_TOKEN']) {
        expect(stderr).toContain(`${name}: required`);
      }
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr.split('\n').length).toBeLessThan(15);
    },
    60_000,
  );
});
