/**
 * Runs a load-test entry point: what `main` returns is the exit status (0 pass, 1 fail), and a
 * crash prints its stack and exits 2, so a failed verdict and a broken run tell apart.
 */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
