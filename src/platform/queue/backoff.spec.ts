import { jitteredBackoff, MAX_BACKOFF_MS } from './backoff.js';

describe('jittered backoff', () => {
  it('doubles the window with each attempt', () => {
    const top = (n: number) => jitteredBackoff(n, 1000, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('waits at least half the window and at most all of it', () => {
    expect(jitteredBackoff(3, 1000, () => 0)).toBe(2000);
    expect(jitteredBackoff(3, 1000, () => 0.999999)).toBeLessThanOrEqual(4000);
    for (let i = 0; i < 200; i++) {
      const wait = jitteredBackoff(4, 500);
      expect(wait).toBeGreaterThanOrEqual(2000);
      expect(wait).toBeLessThanOrEqual(4000);
    }
  });

  it('spreads retries that failed together', () => {
    const waits = new Set(Array.from({ length: 50 }, () => jitteredBackoff(5, 1000)));
    expect(waits.size).toBeGreaterThan(25);
  });

  it('is capped however many attempts are allowed', () => {
    expect(jitteredBackoff(40, 5000, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(jitteredBackoff(1000, 5000, () => 1)).toBe(MAX_BACKOFF_MS);
  });
});
