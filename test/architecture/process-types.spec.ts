import { readFileSync } from 'node:fs';

/**
 * The Procfile is what a container platform runs; package.json's scripts are what `npm start`,
 * the benchmarks and the load tests run. The node flags of each process type are tuned
 * (docs/performance.md), so both must say the same.
 */
describe('process types', () => {
  const scripts = (
    JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const procfile = new Map(
    readFileSync('Procfile', 'utf8')
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const;
      }),
  );

  it.each([
    ['web', 'web'],
    ['worker', 'worker'],
    ['release', 'migrate'],
  ])('the Procfile runs %s as the %s script does', (type, script) => {
    expect(procfile.get(type)).toBe(scripts[script]);
  });
});
