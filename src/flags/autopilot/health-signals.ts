import type { DependencyHealth } from '../../platform/resilience/dependency-health.js';

/**
 * A signal's score: 1 up to half its limit, falling linearly to 0 at the limit. Half the limit
 * is "busy but fine"; the limit is "visitors are waiting".
 */
export function scoreAgainst(measured: number, limit: number): number {
  return Math.min(1, Math.max(0, 2 - (2 * measured) / limit));
}

/** Open breakers pull the score below the shedding threshold; half-open ones only lower it. */
export function dependencyScore(dependencies: readonly DependencyHealth[]): number {
  let score = 1;
  for (const d of dependencies) {
    if (d.state === 'open' || !d.up) score = Math.min(score, 0.25);
    else if (d.state === 'half-open') score = Math.min(score, 0.6);
  }
  return score;
}

/**
 * Response times since the last read, in a fixed ring: recording is one array write, and the
 * percentile is computed once per autopilot step over at most `capacity` samples.
 */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;

  constructor(capacity = 2048) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
  }

  /** The percentile of the samples since the last call (null with too few), then empties. */
  drainPercentile(p: number, minSamples = 20): number | null {
    const count = this.count;
    this.count = 0;
    this.next = 0;
    if (count < minSamples) return null;
    const window = this.samples.slice(0, count).sort();
    return window[Math.min(count - 1, Math.floor((p / 100) * count))] ?? null;
  }
}
