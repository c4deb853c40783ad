/**
 * Ends an entry point that failed: known failures print their message, anything else its
 * stack, then the process exits non-zero so a supervisor sees it.
 */
export function exitWithFailure(error: unknown, isExpected: (error: unknown) => boolean): never {
  const message =
    error instanceof Error
      ? isExpected(error)
        ? error.message
        : (error.stack ?? error.message)
      : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
