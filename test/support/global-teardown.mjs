import { execFileSync } from 'node:child_process';

/** Drops this run's database; the services keep running for the next run. */
export default function globalTeardown() {
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/prepare-database.ts', '--drop'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, APP_STAGE: 'test', NODE_OPTIONS: '' },
    },
  );
}
