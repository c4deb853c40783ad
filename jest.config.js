// Tests run as native ES modules (NestJS 12 ships ESM only), transformed by swc.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];

export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30000,
  // Three files at once on two cores (jest would take one): most files spend their time waiting
  // on servers, workers and browsers, and each keeps to its own data (see docs/testing.md).
  maxWorkers: 3,
  // Node 20 keeps every ES module jest links for a file, so a worker grows by 80-100 MB with
  // each file that boots the platform (2.5 GB by the end of a full run) and its collections mark
  // all of it: a worker holding more than 1 GB after a file is replaced (435 s against 480 s for
  // the suite). Node's own exit frees that heap in 0.4-1.4 s, longer than jest's default 500 ms
  // wait; 2 s still reports a timer or socket a test leaks (see docs/testing.md).
  workerIdleMemoryLimit: '1GB',
  workerGracefulExitTimeout: 2000,
};
