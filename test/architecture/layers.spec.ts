import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CONFIG = resolve('.dependency-cruiser.cjs');
const CRUISER = resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Outcome {
  failed: boolean;
  report: string;
}

/** Runs the project's layer rules, as `npm run lint` does, over a small tree of its own. */
async function cruise(files: Record<string, string>): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), 'layers-'));
  try {
    await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    try {
      const { stdout } = await run(
        process.execPath,
        [CRUISER, 'src', '--config', CONFIG, '--output-type', 'err'],
        { cwd: root },
      );
      return { failed: false, report: stdout };
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      return { failed: true, report: `${stdout}${stderr}` };
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const FEATURE_SERVICE = { 'src/catalog/catalog.service.ts': 'export const catalog = 1;\n' };

describe('the layer rules that npm run lint enforces', () => {
  it('refuse a platform file that imports a feature', async () => {
    const outcome = await cruise({
      ...FEATURE_SERVICE,
      'src/platform/cache/probe.ts': "export { catalog } from '../../catalog/catalog.service';\n",
    });
    expect(outcome.failed).toBe(true);
    expect(outcome.report).toContain('features-above-edge');
    expect(outcome.report).toContain('src/platform/cache/probe.ts');
  });

  it('refuse a feature that reaches into another feature’s repository', async () => {
    const outcome = await cruise({
      'src/greetings/greetings.repository.ts': 'export const rows = 1;\n',
      'src/delivery/probe.ts': "export { rows } from '../greetings/greetings.repository';\n",
    });
    expect(outcome.failed).toBe(true);
    expect(outcome.report).toContain('repository-stays-in-its-feature');
  });

  it('refuse a cycle', async () => {
    const outcome = await cruise({
      'src/common/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'src/common/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(outcome.failed).toBe(true);
    expect(outcome.report).toContain('no-circular');
  });

  it('let a feature import the platform below it', async () => {
    const outcome = await cruise({
      'src/platform/cache/keys.ts': 'export const key = 1;\n',
      'src/catalog/probe.ts': "export { key } from '../platform/cache/keys';\n",
    });
    expect(outcome).toEqual({
      failed: false,
      report: expect.stringContaining('no dependency violations'),
    });
  });
});
