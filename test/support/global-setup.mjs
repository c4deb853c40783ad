import { execFileSync } from 'node:child_process';

/**
 * Real services for the whole run: the test profile's own MariaDB primary + replica and Redis
 * (ports apart from a developer's), then a fresh schema with the demo catalog. Services are
 * left running afterwards so the next run starts in a second; CI machines are discarded.
 */
export default function globalSetup() {
  const env = { ...process.env, APP_STAGE: 'test', NODE_OPTIONS: '' };
  execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/prepare-database.ts'],
    { stdio: ['ignore', 'inherit', 'inherit'], env },
  );
}
