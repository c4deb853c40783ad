import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles to dist/ when it is missing or older than the sources (a fresh clone builds). */
export function buildIfStale(log: (line: string) => void = console.log): void {
  const main = 'dist/src/main.js';
  const sources = Math.max(newestMtime('src'), newestMtime('migrations'));
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return;
  log('building dist/ (tsc)...');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
