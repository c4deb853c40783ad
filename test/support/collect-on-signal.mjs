// Preloaded only by tests (with --expose-gc): SIGURG makes the process collect its garbage and
// say so on stdout, so a test reads its size without what merely awaits collection. SIGURG is
// ignored by default and is not one of the signals NestJS's shutdown hooks stop the app on.
let collections = 0;
process.on('SIGURG', () => {
  globalThis.gc?.();
  collections++;
  process.stdout.write(`${JSON.stringify({ msg: 'collected', collections })}\n`);
});
