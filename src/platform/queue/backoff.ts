/** Retries never wait longer than this, however many attempts a deployment allows. */
export const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * base * 2^(n-1). The random half spreads retries of a batch that failed together (an SMTP
 * server restarting) so they do not return as one wave; the fixed half keeps the growth.
 */
export function jitteredBackoff(
  attemptsMade: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
