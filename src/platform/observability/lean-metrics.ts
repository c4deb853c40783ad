import { Counter, type CounterConfiguration, type Metric, type Registry } from 'prom-client';

/**
 * Metrics for the request path. prom-client validates and hashes the label set on every
 * `inc()` and `observe()`, even on a labelled child: a few microseconds that a cached page (a
 * map read and a socket write) cannot afford. Here a label set is resolved once into a plain
 * object holding numbers, and prom-client sees the totals only when it is scraped.
 */

type Labels<L extends string> = Record<L, string>;

/** One label set of a {@link TalliedCounter}: keep it, do not look it up per event. */
export interface Tally {
  inc(by?: number): void;
}

class PendingTally<L extends string> implements Tally {
  pending = 0;
  constructor(readonly labels: Labels<L>) {}
  inc(by = 1): void {
    this.pending += by;
  }
}

/** A prom-client counter whose hot-path increments are added to it at scrape time. */
export class TalliedCounter<L extends string> {
  readonly counter: Counter<L>;
  private readonly tallies = new Map<string, PendingTally<L>>();

  constructor(config: Omit<CounterConfiguration<L>, 'collect'>) {
    const tallies = this.tallies;
    this.counter = new Counter<L>({
      ...config,
      collect(this: Counter<L>) {
        for (const tally of tallies.values()) {
          if (tally.pending === 0) continue;
          this.inc(tally.labels, tally.pending);
          tally.pending = 0;
        }
      },
    });
  }

  tally(labels: Labels<L>): Tally {
    const key = JSON.stringify(labels);
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = new PendingTally(labels);
      this.tallies.set(key, tally);
    }
    return tally;
  }

  /** For rare events: looks the label set up on every call. */
  inc(labels: Labels<L>, by = 1): void {
    this.tally(labels).inc(by);
  }
}

/** One label set of a {@link LeanHistogram}. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/**
 * A Prometheus histogram with the exposition of prom-client's own (cumulative `_bucket` series
 * with `le`, `_sum`, `_count`), summed across cluster workers like it. It is not a prom-client
 * class, so it is registered through the registry's untyped door (see `register`).
 */
export class LeanHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: readonly number[];
  private series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    // The registry reads only name, help, type, aggregator, get() and reset() of a metric.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of a label set; callers keep it instead of looking it up per observation. */
  seriesOf(labels: Labels<L>): HistogramSeries {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      const own: Record<string, string> = {};
      for (const name of this.labelNames) own[name] = labels[name];
      series = new HistogramSeries(own, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  reset(): void {
    this.series = new Map();
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: MetricValue[];
  }> {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += series.counts[i] as number;
        values.push({ labels: { le, ...series.labels }, value: cumulative, metricName: bucket });
      });
      values.push({
        labels: { le: '+Inf', ...series.labels },
        value: series.count,
        metricName: bucket,
      });
      values.push({
        labels: { ...series.labels },
        value: series.sum,
        metricName: `${this.name}_sum`,
      });
      values.push({
        labels: { ...series.labels },
        value: series.count,
        metricName: `${this.name}_count`,
      });
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }
}
