import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformFile } from '@swc/core';

/** Where the run's global setup puts src/ and migrations/ as plain JavaScript. */
export const TEST_BUILD_DIR = join('dist', 'test');

/**
 * An entry point of the test build (`worker`, `main`, `cli`, `ops/sla-cli`), for tests that
 * run the platform as separate processes. Compiling the sources on the fly cost each such
 * process about 3 s of CPU, paid again for every web, worker and cluster process a test starts.
 */
export function builtEntry(entry: string, dir = TEST_BUILD_DIR): string {
  return join(dir, 'src', `${entry}.js`);
}

/**
 * Compiles src/ and migrations/ with swc, the options jest's transform uses (a second or two
 * for the whole tree). Each file is written whole and renamed into place, so a process that
 * starts while another run rebuilds the same checkout never loads half a module.
 */
export async function buildSources(outDir: string): Promise<void> {
  const files = ['src', 'migrations'].flatMap((dir) => sources(dir));
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(file, {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
          keepClassNames: true,
        },
        module: { type: 'es6' },
      });
      const out = join(outDir, relative('.', file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      const partial = `${out}.${process.pid}.partial`;
      writeFileSync(partial, code);
      renameSync(partial, out);
    }),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}
