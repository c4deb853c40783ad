/**
 * A fixed log-bucket latency histogram: ~2% resolution from 10 µs to over a minute in 900
 * counters, so one can be kept per stage, per kind and per second without holding every sample.
 * Percentiles report the upper edge of their bucket: never better than what was measured.
 */
const MIN_MS = 0.01;
const GROWTH = 1.02;
const BUCKETS = 900;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    const value = Math.max(ms, MIN_MS);
    const index = Math.min(BUCKETS - 1, Math.ceil(Math.log(value / MIN_MS) / LOG_GROWTH));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++)
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** Latency in ms under which `p` percent of the samples fall (0 when empty). */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(MIN_MS * GROWTH ** i, this.max);
    }
    return this.max;
  }
}
